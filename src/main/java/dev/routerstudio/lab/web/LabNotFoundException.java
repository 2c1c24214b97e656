package dev.routerstudio.lab.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

public class LabNotFoundException extends RuntimeException implements ErrorResponse {

    public LabNotFoundException(String id) {
        super("there is no lab " + id + " (labs stop when asked, after the idle timeout, or when the studio stops)");
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Lab not found");
        return problem;
    }
}
