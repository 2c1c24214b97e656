package dev.routerstudio.build;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** An artifact that does not exist, or not yet. */
public class ArtifactNotFoundException extends ProblemException {

    public ArtifactNotFoundException(long id, String name, BuildStatus status) {
        super(HttpStatus.NOT_FOUND, "Artifact not available", status == BuildStatus.SUCCEEDED ? "build " + id + " has no artifact '" + name + "'"
                : "build " + id + " is " + status.name().toLowerCase() + "; artifacts are served only from succeeded builds");
    }
}
