package dev.routerstudio.build;

/** The data dir is too full to start a build safely. */
public class InsufficientSpaceException extends RuntimeException {

    public InsufficientSpaceException(String message) {
        super(message);
    }
}
