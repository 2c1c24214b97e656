package dev.routerstudio.profile;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

import java.util.List;
import java.util.Map;

/**
 * The change cannot be made in the profile's current state: the name is taken (409), or it
 * changed meanwhile (field "version", 412).
 */
public class ProfileConflictException extends RuntimeException implements ErrorResponse {

    private final String field;

    public ProfileConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return "version".equals(field) ? HttpStatus.PRECONDITION_FAILED : HttpStatus.CONFLICT;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("version".equals(field) ? "Profile changed meanwhile" : "Name already taken");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", getMessage())));
        return problem;
    }
}
