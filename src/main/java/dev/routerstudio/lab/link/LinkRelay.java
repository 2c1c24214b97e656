package dev.routerstudio.lab.link;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One lab link (access, lan), relayed by the studio. Both guests' NICs are QEMU stream netdevs
 * that connect to a unix socket the relay listens on, one per side; QEMU's stream framing is a
 * 4-byte big-endian length, then the Ethernet frame. Every frame is captured (pcap ring), named
 * in the live summary, and passed through the link's faults (down, loss, delay, jitter) before it
 * is written to the other side. The listening sockets stay open for the lab's lifetime, so a
 * side whose QEMU restarts connects again and the link carries on (QEMU's stream netdev never
 * reconnects by itself; here it need not: the side that stayed keeps its connection).
 */
public final class LinkRelay implements AutoCloseable {

    /** QEMU's receive buffer (NET_BUFSIZE): a longer length field means the stream is out of step. */
    public static final int MAX_FRAME = 69_632;
    /** Frames waiting for their delay, per direction; beyond, new ones are dropped as a full queue would. */
    public static final int QUEUE_LIMIT = 4096;

    private final String name;
    private final End a;
    private final End b;
    private final Direction ab;
    private final Direction ba;
    private final PcapCapture capture;
    private final FrameLog log;
    private final Consumer<String> logger;
    private volatile boolean up = true;
    private volatile Impairment impairment = Impairment.NONE;
    private volatile boolean closed;

    public LinkRelay(String name, String nodeA, Path socketA, String nodeB, Path socketB, long captureBytes, int summaryLines,
                     RandomGenerator random, Consumer<String> logger) {
        this.name = name;
        this.a = new End(nodeA, socketA);
        this.b = new End(nodeB, socketB);
        this.ab = new Direction(a, b, random);
        this.ba = new Direction(b, a, random);
        this.capture = new PcapCapture(captureBytes);
        this.log = new FrameLog(summaryLines);
        this.logger = logger;
    }

    /** Binds both sockets and starts relaying; the guests may connect from now on. */
    public void open() throws IOException {
        try {
            a.listen();
            b.listen();
        } catch (IOException e) {
            close();
            throw new IOException("link " + name + ": cannot listen on its sockets: " + e.getMessage(), e);
        }
        ab.start();
        ba.start();
    }

    public String name() {
        return name;
    }

    /** The socket the node's QEMU connects to. */
    public Path socket(String node) {
        return end(node).path;
    }

    /** Waits until node's QEMU has connected; alive says whether it still can. */
    public void awaitConnected(String node, Duration timeout, BooleanSupplier alive) throws IOException {
        End e = end(node);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (e) {
            while (e.connections == 0) {
                if (closed) {
                    throw new IOException("link " + name + " was closed");
                }
                if (!alive.getAsBoolean()) {
                    throw new IOException("QEMU for " + node + " exited before it connected to the " + name + " link");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(node + " did not connect to the " + name + " link (" + e.path + ") within "
                            + timeout.toSeconds() + " s");
                }
                try {
                    e.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    /** Applies a change (fields left out keep their value) and returns the link as it is now. */
    public synchronized LinkStatus change(LinkChange c) {
        Impairment next = c.applyTo(impairment);
        impairment = next;
        if (c.up() != null && c.up() != up) {
            up = c.up();
            logger.accept("link " + name + " " + (up ? "up" : "down"));
        }
        return status();
    }

    /** The whole setting now, as a change that would restore it. */
    public synchronized LinkChange setting() {
        return LinkChange.of(up, impairment);
    }

    public LinkStatus status() {
        Direction.Counters x = ab.counters();
        Direction.Counters y = ba.counters();
        List<LinkStatus.Direction> dirs = List.of(x.status(a.node, b.node), y.status(b.node, a.node));
        return new LinkStatus(name, up ? "up" : "down", impairment,
                List.of(a.status(), b.status()), dirs, x.frames + y.frames, x.bytes + y.bytes,
                x.dropped() + y.dropped(),
                new LinkStatus.Capture(capture.frameCount(), capture.sizeBytes(), capture.limitBytes(), capture.evicted()));
    }

    public PcapCapture capture() {
        return capture;
    }

    public FrameLog frames() {
        return log;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops relaying: sockets and connections close, the capture and summary stay readable. */
    @Override
    public void close() {
        closed = true;
        a.close();
        b.close();
        ab.close();
        ba.close();
        log.close();
    }

    private End end(String node) {
        if (a.node.equals(node)) {
            return a;
        }
        if (b.node.equals(node)) {
            return b;
        }
        throw new IllegalArgumentException("link " + name + " has no end on node " + node + " (ends: " + a.node + ", " + b.node + ")");
    }

    private void onFrame(End from, byte[] frame) {
        long now = System.nanoTime();
        Instant t = Instant.now();
        capture.add(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000, frame);
        Direction d = from == a ? ab : ba;
        LinkFaults.Decision decision = d.faults.decide(now, up, impairment);
        FrameDecoder.Decoded what = FrameDecoder.decode(frame);
        java.util.function.Consumer<String> line = fate -> log.add(t.toEpochMilli(), from.node, d.to.node, frame.length,
                what.protocol(), what.summary(), fate);
        switch (decision.fate()) {
            case DOWN -> {
                line.accept("down");
                d.dropped(decision.fate(), frame.length);
            }
            case LOST -> {
                line.accept("lost");
                d.dropped(decision.fate(), frame.length);
            }
            case DELIVER -> d.enqueue(frame, decision.deliverAtNanos(), now, line);
        }
    }

    /** One side of the link: its listening socket and the QEMU connected to it (at most one at a time). */
    private final class End {
        final String node;
        final Path path;
        final Object writeLock = new Object();
        ServerSocketChannel server;
        SocketChannel channel;
        long connections;

        End(String node, Path path) {
            this.node = node;
            this.path = path;
        }

        void listen() throws IOException {
            Files.deleteIfExists(path);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path));
            server = s;
            Thread t = new Thread(this::acceptLoop, "link-" + name + "-" + node + "-accept");
            t.setDaemon(true);
            t.start();
        }

        void acceptLoop() {
            while (!closed) {
                SocketChannel c;
                try {
                    c = server.accept();
                } catch (IOException e) {
                    if (!closed) {
                        logger.accept("link " + name + ": " + node + " socket failed: " + e.getMessage());
                    }
                    return;
                }
                SocketChannel old;
                synchronized (this) {
                    old = channel;
                    channel = c;
                    connections++;
                    notifyAll();
                }
                if (old != null) {
                    closeQuietly(old);
                }
                if (connections > 1) {
                    logger.accept("link " + name + ": " + node + " connected again (connection " + connections + ")");
                }
                Thread r = new Thread(() -> readLoop(c), "link-" + name + "-" + node + "-read");
                r.setDaemon(true);
                r.start();
            }
        }

        void readLoop(SocketChannel c) {
            ByteBuffer len = ByteBuffer.allocate(4);
            try {
                while (!closed) {
                    len.clear();
                    if (!readFully(c, len)) {
                        break;
                    }
                    int n = len.getInt(0);
                    if (n < 0 || n > MAX_FRAME) {
                        logger.accept("link " + name + ": " + node + " sent a frame length of " + n + "; dropping its connection");
                        break;
                    }
                    byte[] frame = new byte[n];
                    if (!readFully(c, ByteBuffer.wrap(frame))) {
                        break;
                    }
                    onFrame(this, frame);
                }
            } catch (IOException e) {
                // the QEMU went away (or the link closed): its side is disconnected
            } finally {
                synchronized (this) {
                    if (channel == c) {
                        channel = null;
                    }
                }
                closeQuietly(c);
            }
        }

        /** Writes one frame to this side's QEMU; false when nobody is connected (or it went away). */
        boolean write(byte[] frame) {
            SocketChannel c;
            synchronized (this) {
                c = channel;
            }
            if (c == null) {
                return false;
            }
            ByteBuffer[] bufs = {ByteBuffer.allocate(4).putInt(0, frame.length), ByteBuffer.wrap(frame)};
            synchronized (writeLock) {
                try {
                    while (bufs[1].hasRemaining()) {
                        c.write(bufs);
                    }
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        }

        synchronized LinkStatus.End status() {
            return new LinkStatus.End(node, channel != null, connections);
        }

        void close() {
            ServerSocketChannel s;
            SocketChannel c;
            synchronized (this) {
                s = server;
                c = channel;
                channel = null;
                notifyAll();
            }
            if (s != null) {
                closeQuietly(s);
            }
            if (c != null) {
                closeQuietly(c);
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the lab dir goes with the lab
            }
        }
    }

    /** One direction: the faults' decisions, the frames waiting for their time, and the thread that writes them. */
    private final class Direction {
        record Pending(long dueNanos, long seq, byte[] frame) {
        }

        static final class Counters {
            long frames;
            long bytes;
            long delivered;
            long down;
            long lost;
            long noPeer;
            long queueFull;

            long dropped() {
                return down + lost + noPeer + queueFull;
            }

            LinkStatus.Direction status(String from, String to) {
                return new LinkStatus.Direction(from, to, frames, bytes, delivered, down, lost, noPeer, queueFull);
            }
        }

        final End from;
        final End to;
        final LinkFaults faults;
        final PriorityQueue<Pending> queue = new PriorityQueue<>((p, q) -> p.dueNanos != q.dueNanos
                ? Long.compare(p.dueNanos, q.dueNanos) : Long.compare(p.seq, q.seq));
        final Counters counters = new Counters();
        long seq;
        Thread sender;

        Direction(End from, End to, RandomGenerator random) {
            this.from = from;
            this.to = to;
            this.faults = new LinkFaults(random);
        }

        void start() {
            sender = new Thread(this::sendLoop, "link-" + name + "-" + from.node + "-to-" + to.node);
            sender.setDaemon(true);
            sender.start();
        }

        /**
         * Queues the frame and writes its summary line with its fate ("" on its way now, "+N ms",
         * or "queue full") before the sender can take it, so the summary is in the order frames went out.
         */
        synchronized void enqueue(byte[] frame, long dueNanos, long now, java.util.function.Consumer<String> line) {
            counters.frames++;
            counters.bytes += frame.length;
            if (queue.size() >= QUEUE_LIMIT) {
                counters.queueFull++;
                line.accept("queue full");
                return;
            }
            long ms = (dueNanos - now) / 1_000_000;
            line.accept(ms > 0 ? "+" + ms + " ms" : "");
            queue.add(new Pending(dueNanos, seq++, frame));
            notifyAll();
        }

        synchronized void dropped(LinkFaults.Fate fate, int length) {
            counters.frames++;
            counters.bytes += length;
            if (fate == LinkFaults.Fate.DOWN) {
                counters.down++;
            } else {
                counters.lost++;
            }
        }

        synchronized Counters counters() {
            Counters c = new Counters();
            c.frames = counters.frames;
            c.bytes = counters.bytes;
            c.delivered = counters.delivered;
            c.down = counters.down;
            c.lost = counters.lost;
            c.noPeer = counters.noPeer;
            c.queueFull = counters.queueFull;
            return c;
        }

        void sendLoop() {
            try {
                while (true) {
                    Pending p;
                    synchronized (this) {
                        while (true) {
                            if (closed) {
                                return;
                            }
                            Pending head = queue.peek();
                            long now = System.nanoTime();
                            if (head != null && head.dueNanos <= now) {
                                p = queue.poll();
                                break;
                            }
                            long waitNanos = head == null ? 1_000_000_000L : head.dueNanos - now;
                            wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                        }
                    }
                    boolean ok = to.write(p.frame);
                    synchronized (this) {
                        if (ok) {
                            counters.delivered++;
                        } else {
                            counters.noPeer++;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            synchronized (this) {
                queue.clear();
                notifyAll();
            }
            Thread s = sender;
            if (s != null) {
                s.interrupt();
            }
        }
    }

    private static boolean readFully(SocketChannel c, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (c.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
