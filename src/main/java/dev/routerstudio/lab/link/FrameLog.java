package dev.routerstudio.lab.link;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The live packet summary of one link: the last capacity lines, each with an id that grows by
 * one, so a reader that has seen up to an id asks for what came after (and a page that
 * reconnects resumes, like the consoles' Last-Event-ID).
 */
public final class FrameLog {

    /**
     * One frame as the page lists it. time: milliseconds since the epoch; from/to: the nodes;
     * fate: "" when it was passed on (at once, or "+N ms" later), "down", "lost" or "queue full".
     */
    public record Line(long id, long time, String from, String to, int length, String protocol, String summary, String fate) {
    }

    /** lines after the asked id; gap: older lines after that id were already dropped from the log. */
    public record Batch(List<Line> lines, boolean gap, long lastId) {
    }

    private final int capacity;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long nextId = 1;
    private boolean closed;

    public FrameLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized Line add(long time, String from, String to, int length, String protocol, String summary, String fate) {
        Line l = new Line(nextId++, time, from, to, length, protocol, summary, fate);
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(l);
        notifyAll();
        return l;
    }

    public synchronized long lastId() {
        return nextId - 1;
    }

    /** At most max lines after afterId, waiting up to waitMillis for the first one. */
    public synchronized Batch after(long afterId, int max, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (nextId - 1 <= afterId && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        List<Line> out = new ArrayList<>();
        boolean gap = !lines.isEmpty() && lines.peekFirst().id() > afterId + 1;
        for (Line l : lines) {
            if (l.id() > afterId) {
                out.add(l);
            }
        }
        if (out.size() > max) {
            gap = true;
            out = new ArrayList<>(out.subList(out.size() - max, out.size()));
        }
        return new Batch(out, gap, out.isEmpty() ? Math.max(afterId, 0) : out.get(out.size() - 1).id());
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
