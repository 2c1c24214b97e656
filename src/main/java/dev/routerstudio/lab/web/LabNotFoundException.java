package dev.routerstudio.lab.web;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

public class LabNotFoundException extends ProblemException {

    public LabNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "Lab not found", "there is no lab " + id + " (labs stop when asked, after the idle timeout, or when the studio stops)");
    }
}
