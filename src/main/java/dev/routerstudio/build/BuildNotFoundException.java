package dev.routerstudio.build;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

public class BuildNotFoundException extends ProblemException {

    public BuildNotFoundException(long id) {
        super(HttpStatus.NOT_FOUND, "Build not found", "there is no build " + id);
    }
}
