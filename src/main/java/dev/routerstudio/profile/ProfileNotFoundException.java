package dev.routerstudio.profile;

public class ProfileNotFoundException extends RuntimeException {

    private final String name;

    public ProfileNotFoundException(String name) {
        super("no profile named '" + name + "'");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
