package dev.routerstudio;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * A feature's exception that knows its HTTP status and problem title; its message is the detail,
 * and a refusal that passes (a full queue) says when to try again. The API answers it as
 * problem+json and the pages show the detail, so neither error handler needs to know the
 * feature. Stays a plain RuntimeException: getMessage() is the sentence itself.
 */
public abstract class ProblemException extends RuntimeException implements ErrorResponse {

    private final HttpStatus status;
    private final String title;
    private final Long retryAfterSeconds;

    protected ProblemException(HttpStatus status, String title, String message) {
        this(status, title, message, null);
    }

    /** retryAfterSeconds: sent as Retry-After, or null for none. */
    protected ProblemException(HttpStatus status, String title, String message, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return status;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        if (retryAfterSeconds != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return headers;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setTitle(title);
        return problem;
    }
}
