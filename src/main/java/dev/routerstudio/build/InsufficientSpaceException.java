package dev.routerstudio.build;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/** The data dir is too full to start a build safely (507). */
public class InsufficientSpaceException extends RuntimeException implements ErrorResponse {

    public InsufficientSpaceException(String message) {
        super(message);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.INSUFFICIENT_STORAGE;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Not enough free space");
        return problem;
    }
}
