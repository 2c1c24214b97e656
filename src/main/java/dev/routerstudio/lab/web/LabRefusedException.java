package dev.routerstudio.lab.web;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** A lab cannot be started for this build (409); the message says why and what to do. */
public class LabRefusedException extends ProblemException {

    public LabRefusedException(String message) {
        super(HttpStatus.CONFLICT, "Lab not possible", message);
    }
}
