package dev.routerstudio.lab;

/** A lab request that cannot be served; the message says what and what to do. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }
}
