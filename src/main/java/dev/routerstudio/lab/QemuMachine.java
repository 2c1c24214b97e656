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
                .redirectOutput(dir.resolve(spec.node() + ".qemu.log").toFile())
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
        process.onExit().thenRun(() -> {
            if (state == State.RUNNING) {
                state = State.EXITED;
            }
        });
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

    /** Waits for QEMU to exit by itself; returns its exit code, or null on timeout. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        Process p = process;
        if (p == null) {
            return null;
        }
        if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        return null;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
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
