package dev.routerstudio.profile;

/** The change cannot be made in the profile's current state: the name is taken, or it changed meanwhile. */
public class ProfileConflictException extends RuntimeException {

    private final String field;

    public ProfileConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
