package dev.routerstudio.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running QEMU guest. It is started through setsid, so QEMU leads its own process group and
 * stop() can signal the whole group; its pid goes into a pidfile in the lab dir so a studio
 * that died can find and end it on the next start. QEMU's TMPDIR (IDE snapshots) is the lab dir.
 *
 * <p>Every guest runs with -no-reboot. A guest with a writable store (the lab's router) is one
 * machine across resets: when its kernel's last words were "reboot: Restarting system", a new
 * QEMU boots it again on the same store, links and console buffer, so each reboot is a first
 * boot. (A reset inside the same QEMU left the next boot stalled for 10–20 s before its kernel
 * printed a line, docs/pipeline.md "Rebooting: a new QEMU".) Typing during the switch is lost,
 * as on a real serial line.
 */
public final class QemuMachine implements AutoCloseable {

    public enum State { STARTING, RUNNING, EXITED, STOPPED, FAILED }

    private final MachineSpec spec;
    private final Path dir;
    private final String labId;
    private final NodeConsole console;
    private volatile Process process;
    private volatile State state = State.STARTING;
    private volatile long startedNanos;
    private volatile String failure;
    /** Set by stop(); a start() racing with it must not leave a QEMU behind. */
    private volatile boolean stopRequested;
    /** Completed with QEMU's exit code when the machine is off for good (not between two QEMUs of a reset). */
    private final java.util.concurrent.CompletableFuture<Integer> ended = new java.util.concurrent.CompletableFuture<>();
    private volatile int resets;

    public QemuMachine(MachineSpec spec, Path labDir, String labId, ConsoleBuffer buffer) {
        this.spec = spec;
        this.dir = labDir;
        this.labId = labId;
        this.console = new NodeConsole(spec.node(), buffer);
    }

    public Path consoleSocket() {
        return dir.resolve(spec.node() + ".console");
    }

    public Path pidFile() {
        return dir.resolve(spec.node() + ".pid");
    }

    public List<String> commandLine() {
        return spec.commandLine(consoleSocket(), labId);
    }

    /** Starts QEMU and connects the console; QEMU boots only once the console is connected. */
    public void start(Duration consoleTimeout) throws IOException {
        if (rebootsIntoNewQemu()) {
            console.outlivesConnection();
        }
        launch(consoleTimeout);
    }

    private void launch(Duration consoleTimeout) throws IOException {
        if (stopRequested) {
            throw new IOException("node " + spec.node() + " was stopped before it started");
        }
        Files.createDirectories(dir.resolve("tmp"));
        Files.deleteIfExists(consoleSocket());
        for (MachineSpec.Nic n : spec.nics()) {
            if (n.listen()) {
                Files.deleteIfExists(n.socket());
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(commandLine());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(spec.node() + ".qemu.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TMPDIR", dir.resolve("tmp").toAbsolutePath().toString());
        startedNanos = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            state = State.FAILED;
            failure = "cannot start " + spec.target().qemu() + ": " + e.getMessage();
            throw new IOException(failure, e);
        }
        Files.writeString(pidFile(), process.pid() + "\n", StandardCharsets.UTF_8);
        if (stopRequested) {
            stop();
            throw new IOException("node " + spec.node() + " was stopped while it started");
        }
        try {
            console.connect(consoleSocket(), consoleTimeout, process.toHandle());
        } catch (IOException e) {
            state = State.FAILED;
            failure = e.getMessage() + qemuLogTail();
            stop();
            state = State.FAILED;
            throw new IOException(failure, e);
        }
        state = State.RUNNING;
        Process p = process;
        p.onExit().thenRun(() -> {
            Thread t = new Thread(() -> exited(p, consoleTimeout), "qemu-exit-" + spec.node());
            t.setDaemon(true);
            t.start();
        });
    }

    /** QEMU ended: a reset of a guest with a store boots it again in a new QEMU; anything else ends the machine. */
    private void exited(Process p, Duration consoleTimeout) {
        boolean reset = false;
        if (rebootsIntoNewQemu() && !stopRequested) {
            try {
                console.awaitConnectionEnd(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reset = !stopRequested && console.lastText().contains(RebootWatch.MARKER);
        }
        if (!reset) {
            if (state == State.RUNNING) {
                state = State.EXITED;
            }
            if (rebootsIntoNewQemu() && !stopRequested) {
                // off by itself: the console was kept open for a reset that did not come. (After stop() it is
                // stop's to close: the lab may already have reopened the buffer for the node's next QEMU.)
                console.close();
            }
            ended.complete(p.exitValue());
            return;
        }
        console.resetting(true);
        try {
            resets++;
            launch(consoleTimeout);
        } catch (IOException | RuntimeException e) {
            if (!stopRequested) { // stopped meanwhile: stop() says so and closes the console
                failure = "did not come back from a reset: " + e.getMessage();
                state = State.FAILED;
                console.close();
            }
            ended.complete(null);
        } finally {
            console.resetting(false);
        }
    }

    /** Waits until a listening network socket of this guest exists. */
    public void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (MachineSpec.Nic n : spec.nics()) {
            if (!n.listen()) {
                continue;
            }
            while (!Files.exists(n.socket())) {
                if (!isAlive()) {
                    throw new IOException("QEMU for " + spec.node() + " exited before listening on " + n.socket() + qemuLogTail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(spec.node() + " did not create " + n.socket() + " within " + timeout.toSeconds() + " s");
                }
                sleep(20);
            }
        }
    }

    /** Waits for the machine to go off by itself (a reset is not that); returns QEMU's exit code, or null on timeout. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        if (process == null) {
            return null;
        }
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    /** Whether the machine is on: its QEMU runs, or a reset is starting the next one. */
    public boolean isAlive() {
        Process p = process;
        return p != null && (p.isAlive() || !ended.isDone() && rebootsIntoNewQemu() && !stopRequested);
    }

    /** A guest with a writable store outlives a reboot (a new QEMU); any other ends with its QEMU. */
    private boolean rebootsIntoNewQemu() {
        return spec.store() != null;
    }

    /** How often the guest reset into a new QEMU. */
    public int resets() {
        return resets;
    }

    /** SIGTERM to the process group, SIGKILL after 3 s; waits at most 5 s more. */
    public void stop() {
        stopRequested = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            signalGroup(p.pid(), "TERM");
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    signalGroup(p.pid(), "KILL");
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            if (state == State.RUNNING || state == State.STARTING) {
                state = State.STOPPED;
            }
        }
        console.close();
        ended.complete(p == null ? null : p.isAlive() ? null : p.exitValue());
        try {
            Files.deleteIfExists(pidFile());
            Files.deleteIfExists(consoleSocket());
        } catch (IOException ignored) {
            // the lab dir is removed with the lab anyway
        }
    }

    static void signalGroup(long pgid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pgid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String qemuLogTail() {
        try {
            Path log = dir.resolve(spec.node() + ".qemu.log");
            if (Files.exists(log)) {
                String s = Files.readString(log, StandardCharsets.UTF_8).strip();
                return s.isEmpty() ? "" : " (QEMU said: " + ConsoleText.lastLines(s, 5) + ")";
            }
        } catch (IOException ignored) {
            // no log, no detail
        }
        return "";
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    public String node() {
        return spec.node();
    }

    public MachineSpec spec() {
        return spec;
    }

    public NodeConsole console() {
        return console;
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public Long pid() {
        Process p = process;
        return p == null ? null : p.pid();
    }

    public Integer exitCode() {
        Process p = process;
        return p != null && !p.isAlive() ? p.exitValue() : null;
    }

    @Override
    public void close() {
        stop();
    }
}
