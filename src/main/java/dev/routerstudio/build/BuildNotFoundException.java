package dev.routerstudio.build;

public class BuildNotFoundException extends RuntimeException {

    public BuildNotFoundException(long id) {
        super("there is no build " + id);
    }
}
