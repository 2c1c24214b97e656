package dev.routerstudio.build;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** The profile cannot be built as it stands; the message says what to do. */
public class BuildRefusedException extends ProblemException {

    public BuildRefusedException(String message) {
        super(HttpStatus.CONFLICT, "Profile cannot be built yet", message);
    }
}
