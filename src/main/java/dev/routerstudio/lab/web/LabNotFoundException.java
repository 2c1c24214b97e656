package dev.routerstudio.lab.web;

public class LabNotFoundException extends RuntimeException {

    public LabNotFoundException(String id) {
        super("there is no lab " + id + " (labs stop when asked, after the idle timeout, or when the studio stops)");
    }
}
