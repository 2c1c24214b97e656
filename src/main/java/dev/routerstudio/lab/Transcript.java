package dev.routerstudio.lab;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's console as checks read it: cleaned text (no CR, no escape sequences, an escape split
 * across chunks is held back until it is whole) with absolute offsets, so a check can wait for
 * a regex after a given point. Keeps at most MAX chars; older text is dropped.
 */
final class Transcript implements Consumer<ConsoleBuffer.Event> {

    private static final int MAX = 4 << 20;
    private final ConsoleBuffer buffer;
    private final StringBuilder text = new StringBuilder();
    private long base;
    private String pending = "";

    Transcript(ConsoleBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public synchronized void accept(ConsoleBuffer.Event e) {
        String s = pending + e.text();
        pending = "";
        int esc = s.lastIndexOf('\u001b');
        if (esc >= 0 && s.length() - esc < 16 && s.substring(esc + 1).matches("(\\[[0-9;?]*)?")) {
            pending = s.substring(esc);
            s = s.substring(0, esc);
        }
        text.append(ConsoleText.clean(s));
        if (text.length() > MAX) {
            int drop = text.length() - MAX / 2;
            text.delete(0, drop);
            base += drop;
        }
        notifyAll();
    }

    synchronized long end() {
        return base + text.length();
    }

    /** A match with absolute offsets. */
    record Found(long start, long end, Matcher matcher, String matched) {
    }

    /** Waits until the pattern matches at or after from; null when the deadline passes or the console ends. */
    synchronized Found await(Pattern p, long from, long deadlineNanos, Pattern[] failOn, long failFrom) throws InterruptedException, FailOnException {
        while (true) {
            String failed = findFailOn(failOn, failFrom);
            if (failed != null) {
                throw new FailOnException(failed);
            }
            long start = Math.max(from, base);
            Matcher m = p.matcher(text.substring((int) (start - base)));
            if (m.find()) {
                return new Found(start + m.start(), start + m.end(), m, m.group());
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || buffer.isClosed()) {
                return null;
            }
            wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    synchronized String findFailOn(Pattern[] failOn, long from) {
        if (failOn == null) {
            return null;
        }
        String s = text.substring((int) (Math.max(from, base) - base));
        for (Pattern f : failOn) {
            Matcher m = f.matcher(s);
            if (m.find()) {
                int ls = s.lastIndexOf('\n', m.start()) + 1;
                int le = s.indexOf('\n', m.end());
                return s.substring(ls, le < 0 ? s.length() : le).strip();
            }
        }
        return null;
    }

    synchronized String slice(long from, long to) {
        long s = Math.max(from, base);
        long e = Math.min(to, base + text.length());
        return s >= e ? "" : text.substring((int) (s - base), (int) (e - base));
    }

    synchronized String tail(int lines) {
        return ConsoleText.lastLines(text.toString(), lines);
    }

    static final class FailOnException extends Exception {
        final String line;

        FailOnException(String line) {
            super(line);
            this.line = line;
        }
    }
}
