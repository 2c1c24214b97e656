package dev.routerstudio.profile;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

public class ProfileNotFoundException extends RuntimeException implements ErrorResponse {

    private final String name;

    public ProfileNotFoundException(String name) {
        super("no profile named '" + name + "'");
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(),
                "There is no profile named '" + name + "'. GET /api/v1/profiles lists them.");
        problem.setTitle("Profile not found");
        return problem;
    }
}
