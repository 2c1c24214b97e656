package dev.routerstudio.lab;

import java.time.Duration;

/** What the check engine needs of a node: its console, a keyboard, and its end. */
public interface CheckNode {

    String name();

    ConsoleBuffer buffer();

    void type(String text);

    /** Exit code once the node's emulator has ended, null if it is still running after the wait. */
    Integer awaitExit(Duration timeout) throws InterruptedException;
}
