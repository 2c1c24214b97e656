package dev.routerstudio.lab.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/** A lab cannot be started for this build (409); the message says why and what to do. */
public class LabRefusedException extends RuntimeException implements ErrorResponse {

    public LabRefusedException(String message) {
        super(message);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Lab not possible");
        return problem;
    }
}
