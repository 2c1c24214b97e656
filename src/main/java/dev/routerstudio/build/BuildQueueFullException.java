package dev.routerstudio.build;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** Too many builds waiting, for this user or overall; says when to try again (429 with Retry-After). */
public class BuildQueueFullException extends ProblemException {

    public BuildQueueFullException(String message, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Build queue full", message, retryAfterSeconds);
    }
}
