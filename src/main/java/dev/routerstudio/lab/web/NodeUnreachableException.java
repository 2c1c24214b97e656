package dev.routerstudio.lab.web;

import dev.routerstudio.ProblemException;
import org.springframework.http.HttpStatus;

/** The node a lab runs on did not answer as it should (502); the message names the node and what happened. */
public class NodeUnreachableException extends ProblemException {

    public NodeUnreachableException(String message) {
        super(HttpStatus.BAD_GATEWAY, "Worker not reachable", message);
    }
}
