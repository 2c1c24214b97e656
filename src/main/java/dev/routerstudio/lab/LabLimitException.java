package dev.routerstudio.lab;

/** Refusal: the studio already runs as many labs as it may (see LabSettings.maxLabs). */
public class LabLimitException extends LabException {

    public LabLimitException(String message) {
        super(message);
    }
}
