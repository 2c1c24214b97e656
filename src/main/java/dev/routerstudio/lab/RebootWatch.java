package dev.routerstudio.lab;

import java.time.Duration;

/**
 * Follows a router's console for the kernel's last words before a reset ("reboot: Restarting
 * system"), so the lab can run its checks again on the router that comes back. The line may
 * arrive split across console events; a short tail of the previous text is kept for that.
 */
final class RebootWatch {

    static final String MARKER = "reboot: Restarting system";

    private final ConsoleBuffer console;
    private long after;
    private String tail = "";

    /** Watches what the console prints after event id {@code after}. */
    RebootWatch(ConsoleBuffer console, long after) {
        this.console = console;
        this.after = after;
    }

    /**
     * Waits for the next reboot; returns the id of the console event that finished the marker
     * (the new boot's output follows it), or -1 once the console has ended (QEMU is gone).
     */
    long next(Duration poll) throws InterruptedException {
        return next(poll, () -> false);
    }

    /** Returned by {@link #next(Duration, BooleanSupplier)} when wake said so before a reboot. */
    static final long WOKEN = -2;

    /** The same, returning {@link #WOKEN} after a poll (quiet or not) once wake says so. */
    long next(Duration poll, java.util.function.BooleanSupplier wake) throws InterruptedException {
        while (true) {
            if (wake.getAsBoolean()) {
                return WOKEN;
            }
            ConsoleBuffer.Batch b = console.await(after, poll.toMillis());
            for (ConsoleBuffer.Event e : b.events()) {
                after = e.id();
                String text = tail + e.text();
                if (text.contains(MARKER)) {
                    tail = "";
                    return e.id();
                }
                tail = text.substring(Math.max(0, text.length() - MARKER.length()));
            }
            if (b.closed() && b.events().isEmpty()) {
                return -1;
            }
        }
    }
}
