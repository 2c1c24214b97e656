package dev.routerstudio.lab;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One node's serial console as a bounded ring of text events with ids that only grow, so a
 * viewer can resume after the last id it saw (SSE Last-Event-ID) and a late viewer gets the
 * scrollback. When the ring is full the oldest events go; a reader that asks for evicted ids
 * learns so through {@link Batch#gap()}.
 */
public final class ConsoleBuffer {

    /** One chunk of console text as it arrived; id 1 is the first chunk of the node's life. */
    public record Event(long id, String text) {
    }

    /** Events after a reader's id; gap: some events after that id were already evicted. */
    public record Batch(List<Event> events, boolean gap, boolean closed) {
        public long lastId(long otherwise) {
            return events.isEmpty() ? otherwise : events.get(events.size() - 1).id();
        }
    }

    /** Returned by {@link #subscribe}; close it to stop receiving events. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final long capacityChars;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private long size;
    private long nextId = 1;
    private long evictedUpTo;
    private boolean closed;
    private Writer record;
    private Path recordPath;

    public ConsoleBuffer(long capacityChars) {
        if (capacityChars < 1) {
            throw new IllegalArgumentException("console buffer capacity must be positive");
        }
        this.capacityChars = capacityChars;
    }

    /** Adds a chunk and returns its id; listeners are told on the caller's thread. */
    public long append(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        Event e;
        synchronized (this) {
            if (record != null) {
                try {
                    record.write(text);
                    record.flush();
                } catch (IOException failed) {
                    closeRecord(); // the evidence folder went away; the console itself goes on
                }
            }
            if (text.length() > capacityChars) {
                text = text.substring((int) (text.length() - capacityChars));
            }
            e = new Event(nextId++, text);
            events.addLast(e);
            size += text.length();
            while (size > capacityChars) {
                Event old = events.removeFirst();
                size -= old.text().length();
                evictedUpTo = old.id();
            }
            notifyAll();
        }
        for (Consumer<Event> l : listeners) {
            l.accept(e);
        }
        return e.id();
    }

    /** The events after lastId that are still held (0 = from the oldest held). */
    public synchronized Batch after(long lastId) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.id() > lastId) {
                out.add(e);
            }
        }
        return new Batch(out, lastId < evictedUpTo, closed);
    }

    /** Like {@link #after} but waits up to maxWaitMillis for something new (or the end). */
    public synchronized Batch await(long lastId, long maxWaitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        while (nextId - 1 <= lastId && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return after(lastId);
    }

    /**
     * Replays what is held after lastId to the listener, then passes it every new event. Replay
     * and registration happen under the buffer's lock, so no event is lost or seen twice.
     */
    public Subscription subscribe(long lastId, Consumer<Event> listener) {
        synchronized (this) {
            for (Event e : after(lastId).events()) {
                listener.accept(e);
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    public synchronized long lastId() {
        return nextId - 1;
    }

    public synchronized long firstHeldId() {
        return events.isEmpty() ? nextId : events.peekFirst().id();
    }

    public synchronized long heldChars() {
        return size;
    }

    /**
     * From now on every chunk is also appended to file: the node's whole console, beyond what the
     * ring holds (a lab's evidence). Not a subscriber: it does not count as someone watching.
     */
    public synchronized void recordTo(Path file) throws IOException {
        closeRecord();
        recordPath = file;
        record = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * The node is back (a peer the lab powered off and booted again): its console goes on in this
     * buffer, ids continuing, and so does the record. Subscribers stay subscribed throughout.
     */
    public synchronized void reopen() throws IOException {
        closed = false;
        if (record == null && recordPath != null) {
            record = Files.newBufferedWriter(recordPath, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private void closeRecord() {
        if (record != null) {
            try {
                record.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
            record = null;
        }
    }

    public int subscriberCount() {
        return listeners.size();
    }

    /** The node is gone: waiting readers return, nothing more will come. */
    public synchronized void close() {
        closed = true;
        closeRecord();
        notifyAll();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** The last n lines of what is held, for failure reports. */
    public synchronized String tail(int lines) {
        StringBuilder all = new StringBuilder();
        for (Event e : events) {
            all.append(e.text());
        }
        return ConsoleText.lastLines(ConsoleText.clean(all.toString()), lines);
    }
}
