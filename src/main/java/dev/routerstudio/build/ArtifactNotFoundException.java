package dev.routerstudio.build;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/** An artifact that does not exist, or not yet. */
public class ArtifactNotFoundException extends RuntimeException implements ErrorResponse {

    public ArtifactNotFoundException(long id, String name, BuildStatus status) {
        super(status == BuildStatus.SUCCEEDED ? "build " + id + " has no artifact '" + name + "'"
                : "build " + id + " is " + status.name().toLowerCase() + "; artifacts are served only from succeeded builds");
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Artifact not available");
        return problem;
    }
}
