package dev.routerstudio.build;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

public class BuildNotFoundException extends RuntimeException implements ErrorResponse {

    public BuildNotFoundException(long id) {
        super("there is no build " + id);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Build not found");
        return problem;
    }
}
