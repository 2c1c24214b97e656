package dev.routerstudio.lab;

import org.springframework.http.HttpStatus;

/** Refusal: the studio already runs as many labs as it may (see LabSettings.maxLabs); 429, try again in a minute. */
public class LabLimitException extends LabException {

    public LabLimitException(String message) {
        super(HttpStatus.TOO_MANY_REQUESTS, "Too many labs", message, 60L);
    }
}
