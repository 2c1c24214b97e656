package dev.routerstudio.profile;

import java.util.List;

/** A profile was rejected; carries every bad field, not just the first. */
public class ProfileValidationException extends RuntimeException {

    private final transient List<Violation> violations;

    public ProfileValidationException(List<Violation> violations) {
        super(violations.size() + " invalid field(s): " + violations.get(0).field() + " " + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
