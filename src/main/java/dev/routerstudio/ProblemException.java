package dev.routerstudio;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * A feature's exception that knows its HTTP status and problem title; its message is the detail.
 * The API answers it as problem+json and the pages show the detail, so neither error handler
 * needs to know the feature. Stays a plain RuntimeException: getMessage() is the sentence itself.
 */
public abstract class ProblemException extends RuntimeException implements ErrorResponse {

    private final HttpStatus status;
    private final String title;

    protected ProblemException(HttpStatus status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return status;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setTitle(title);
        return problem;
    }
}
