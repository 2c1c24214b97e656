package dev.routerstudio.profile;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A profile was rejected; carries every bad field, not just the first, and lists them all in its problem detail. */
public class ProfileValidationException extends RuntimeException implements ErrorResponse {

    private final transient List<Violation> violations;

    public ProfileValidationException(List<Violation> violations) {
        super(violations.size() + " invalid field(s): " + violations.get(0).field() + " " + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public ProblemDetail getBody() {
        Violation first = violations.get(0);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), violations.size() == 1
                ? (first.field().isEmpty() ? first.message() : first.field() + " " + first.message())
                : violations.size() + " fields are invalid; see errors");
        problem.setTitle("Invalid profile");
        problem.setType(URI.create("/problems/invalid-profile"));
        problem.setProperty("errors", violations.stream().map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return problem;
    }
}
