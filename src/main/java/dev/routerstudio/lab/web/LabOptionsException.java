package dev.routerstudio.lab.web;

import dev.routerstudio.profile.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

import java.util.List;
import java.util.Map;

/** Lab options that cannot be applied (400), every bad field with what to do. */
public class LabOptionsException extends RuntimeException implements ErrorResponse {

    private final transient List<Violation> violations;

    public LabOptionsException(List<Violation> violations) {
        super(violations.get(0).field() + " " + violations.get(0).message());
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), violations.size() == 1 ? getMessage()
                : violations.size() + " fields are invalid; see errors");
        problem.setTitle("Invalid lab options");
        problem.setProperty("errors", violations.stream().map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return problem;
    }
}
