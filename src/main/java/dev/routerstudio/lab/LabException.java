package dev.routerstudio.lab;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** A lab request that cannot be served (409); the message says what and what to do. */
public class LabException extends ProblemException {

    public LabException(String message) {
        super(HttpStatus.CONFLICT, "Lab not possible", message);
    }

    protected LabException(HttpStatus status, String title, String message, Long retryAfterSeconds) {
        super(status, title, message, retryAfterSeconds);
    }
}
