package dev.routerstudio.lab;

import java.time.Duration;

/** What the check engine needs of a node: its console, a keyboard, its end, and a power switch. */
public interface CheckNode {

    String name();

    ConsoleBuffer buffer();

    void type(String text);

    /** Exit code once the node's emulator has ended, null if it is still running after the wait. */
    Integer awaitExit(Duration timeout) throws InterruptedException;

    /** Powers the node off and boots it again, its console going on in the same buffer (the "restart" step). */
    default void restart() throws java.io.IOException {
        throw new java.io.IOException("node " + name() + " cannot be restarted here");
    }
}
