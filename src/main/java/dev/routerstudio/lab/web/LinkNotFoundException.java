package dev.routerstudio.lab.web;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

public class LinkNotFoundException extends ProblemException {

    public LinkNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "Link not found", message);
    }
}
