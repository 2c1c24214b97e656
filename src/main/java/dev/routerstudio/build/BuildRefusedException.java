package dev.routerstudio.build;

/** The profile cannot be built as it stands; the message says what to do. */
public class BuildRefusedException extends RuntimeException {

    public BuildRefusedException(String message) {
        super(message);
    }
}
