package dev.routerstudio.lab;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Refusal: the studio already runs as many labs as it may (see LabSettings.maxLabs); 429, try again in a minute. */
public class LabLimitException extends LabException {

    public LabLimitException(String message) {
        super(message);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.TOO_MANY_REQUESTS;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "60");
        return headers;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Too many labs");
        return problem;
    }
}
