package dev.routerstudio.build;

/** Too many builds waiting, for this user or overall; says when to try again. */
public class BuildQueueFullException extends RuntimeException {

    private final long retryAfterSeconds;

    public BuildQueueFullException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
