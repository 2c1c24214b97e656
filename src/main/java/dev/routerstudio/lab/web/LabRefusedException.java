package dev.routerstudio.lab.web;

/** A lab cannot be started for this build; the message says why and what to do. */
public class LabRefusedException extends RuntimeException {

    public LabRefusedException(String message) {
        super(message);
    }
}
