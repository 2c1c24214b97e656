package dev.routerstudio.build;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** The data dir is too full to start a build safely (507). */
public class InsufficientSpaceException extends ProblemException {

    public InsufficientSpaceException(String message) {
        super(HttpStatus.INSUFFICIENT_STORAGE, "Not enough free space", message);
    }
}
