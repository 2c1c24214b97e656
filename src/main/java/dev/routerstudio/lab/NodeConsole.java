package dev.routerstudio.lab;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node's serial console: QEMU serves it on a unix socket (server=on,wait=on, so nothing is
 * printed before we are connected); one reader thread decodes UTF-8 (sequences split across
 * reads are kept whole), drops the cursor-position queries and appends to the ring buffer.
 * Typed input goes back through the same socket.
 */
public final class NodeConsole implements AutoCloseable {

    private final String node;
    private final ConsoleBuffer buffer;
    private final CursorQueryFilter filter = new CursorQueryFilter();
    private volatile SocketChannel channel;
    private volatile Thread reader;
    private volatile long firstOutputNanos;
    /** Whether the buffer ends with the connection (false: the machine may come back, see {@link QemuMachine}). */
    private volatile boolean endsWithConnection = true;
    /** Set while the machine resets into a new QEMU: what is typed then is lost, as on a real line. */
    private volatile boolean resetting;
    /** The last characters this connection read, for the kernel's last words. */
    private volatile String lastText = "";

    public NodeConsole(String node, ConsoleBuffer buffer) {
        this.node = node;
        this.buffer = buffer;
    }

    public String node() {
        return node;
    }

    public ConsoleBuffer buffer() {
        return buffer;
    }

    /** Waits for QEMU to create the socket, then connects and starts reading. */
    public void connect(Path socket, Duration timeout, ProcessHandle qemu) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (qemu != null && !qemu.isAlive()) {
                throw new IOException("QEMU for node " + node + " exited before its console socket was ready");
            }
            if (Files.exists(socket)) {
                try {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    SocketChannel before = channel;
                    if (before != null) {
                        before.close(); // the previous QEMU's, after a reset (its reader has ended)
                    }
                    lastText = "";
                    channel = ch;
                    Thread t = new Thread(this::readLoop, "console-" + node);
                    t.setDaemon(true);
                    reader = t;
                    t.start();
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the console of " + node);
            }
        }
        throw new IOException("console socket " + socket + " of node " + node + " not ready within "
                + timeout.toSeconds() + " s" + (last != null ? ": " + last.getMessage() : ""));
    }

    private void readLoop() {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer in = ByteBuffer.allocate(8192);
        CharBuffer out = CharBuffer.allocate(8192);
        try {
            SocketChannel ch = channel;
            while (ch.read(in) >= 0) {
                in.flip();
                dec.decode(in, out, false);
                in.compact();
                out.flip();
                String text = filter.filter(out.toString());
                out.clear();
                if (!text.isEmpty()) {
                    if (firstOutputNanos == 0) {
                        firstOutputNanos = System.nanoTime();
                    }
                    String last = lastText + text;
                    lastText = last.substring(Math.max(0, last.length() - 256));
                    buffer.append(text);
                }
            }
        } catch (IOException e) {
            // the socket closed under us (QEMU exited or the lab stopped): the console ends
        } finally {
            buffer.append(filter.flush());
            if (endsWithConnection) {
                buffer.close();
            }
        }
    }

    /**
     * Keeps the buffer open when the connection ends: the machine resets by starting a new QEMU,
     * which {@link #connect} joins to the same console; {@link #close} still ends it.
     */
    void outlivesConnection() {
        endsWithConnection = false;
    }

    /** Waits (at most timeout) for the reader of the ended connection to have read everything. */
    void awaitConnectionEnd(Duration timeout) throws InterruptedException {
        Thread t = reader;
        if (t != null) {
            t.join(timeout.toMillis());
        }
    }

    /** The last characters read over the current (or ended) connection. */
    String lastText() {
        return lastText;
    }

    /** Between two QEMUs of one machine: typing is dropped rather than refused. */
    void resetting(boolean on) {
        resetting = on;
    }

    /** Sends text as if typed; "\n" ends a line. */
    public void type(String text) {
        SocketChannel ch = channel;
        if (resetting) {
            return;
        }
        if (ch == null || !ch.isOpen()) {
            throw new IllegalStateException("the console of node " + node + " is not connected");
        }
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            try {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                if (!endsWithConnection) {
                    return; // its QEMU just ended: reset (the line comes back) or off (the next type says so)
                }
                throw new IllegalStateException("cannot type into the console of node " + node + ": " + e.getMessage(), e);
            }
        }
    }

    /** System.nanoTime() of the first console output, 0 while none. */
    public long firstOutputNanos() {
        return firstOutputNanos;
    }

    public long cursorQueries() {
        return filter.queries();
    }

    public boolean isConnected() {
        SocketChannel ch = channel;
        return ch != null && ch.isOpen();
    }

    @Override
    public void close() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is best effort; the reader ends either way
            }
        }
        Thread t = reader;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        buffer.close();
    }
}
