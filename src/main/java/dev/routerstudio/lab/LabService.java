package dev.routerstudio.lab;

import dev.routerstudio.lab.link.LabLinks;
import dev.routerstudio.pipeline.TargetSpec;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The labs of one studio: start a lab for a build, read its status and checks, follow and type
 * into its consoles, stop it. At most maxLabs run at once (more are refused with a message);
 * a lab nobody looked at for idleTimeout stops by itself. At start-up, QEMU processes and lab
 * dirs left by an earlier studio on the same data dir are cleaned up — only processes whose
 * command line carries the lab marker AND this data dir. close() (also run by a JVM shutdown
 * hook) stops every lab, so nothing is left running.
 */
public final class LabService implements AutoCloseable {

    private final LabSettings settings;
    private final Path labsDir;
    private final PeerImages peerImages;
    private final Consumer<String> log;
    private final Map<String, Lab> labs = new LinkedHashMap<>();
    /** The links (captures, summaries) of the last labs that stopped, newest last. */
    private final Map<String, LabLinks> stoppedLinks = new LinkedHashMap<>();
    /** How many stopped labs keep their captures downloadable (memory: at most captureBytes per link each). */
    public static final int KEEP_STOPPED_CAPTURES = 4;
    private final ScheduledExecutorService reaper;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private volatile Consumer<LabStatus> onFinished = s -> { };

    /** How many labs' evidence is kept (the newest; the rest goes as new labs start). */
    public static final int KEEP_EVIDENCE = 100;

    public LabService(LabSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.labsDir = settings.labsDir();
        this.peerImages = new PeerImages(settings.dataDir().resolve("peer-images").toAbsolutePath(), settings.packageCacheDir());
        this.log = log;
        cleanStale();
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-idle-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, Math.min(30, settings.idleTimeout().toSeconds() / 4));
        reaper.scheduleAtFixedRate(this::stopIdle, period, period, TimeUnit.SECONDS);
        this.shutdownHook = new Thread(this::close, "lab-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // The first lab need not wait for apt: reuse the peer image the last run resolved, if any
        // (no package-cache lock taken, so a build starting now is not disturbed).
        if (peerImages.cached() != null) {
            log.accept("lab start-up: peer image from the last run is ready");
        }
    }

    /** Starts a lab in the background and returns its id at once; the consoles can be followed right away. */
    public synchronized String start(LabRequest request) {
        requireRoom();
        return start(newId(), request);
    }

    /**
     * Starts a lab from a firmware.tar built elsewhere (an upload): unpacked into the lab's own
     * folder and checked first (see {@link FirmwareBundle}). A bad bundle throws
     * {@link FirmwareBundle.InvalidBundleException} and leaves nothing behind; the caller removes tar.
     */
    public String startBundle(Path tar, boolean shutdownCheck, String... leftOut) throws IOException {
        String id;
        synchronized (this) {
            requireRoom();
            id = newId();
        }
        Path dir = labsDir.resolve(id);
        try {
            LabRequest request = FirmwareBundle.unpack(tar, dir.resolve("firmware"), "upload-" + id)
                    .withChecks(true, shutdownCheck, List.of()).leavingOut(leftOut);
            synchronized (this) {
                requireRoom();
                return start(id, request);
            }
        } catch (IOException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(dir);
            throw e;
        }
    }

    /** Where an upload is written before it is unpacked (under the data dir, never /tmp). */
    public Path newUploadFile() throws IOException {
        Path uploads = settings.dataDir().resolve("uploads").toAbsolutePath();
        Files.createDirectories(uploads);
        return Files.createTempFile(uploads, "firmware-", ".tar");
    }

    private void requireRoom() {
        if (closed) {
            throw new LabException("the lab service is shut down");
        }
        int running = running();
        if (running >= settings.maxLabs()) {
            throw new LabLimitException(running + " labs are running, which is the limit on this machine ("
                    + settings.maxLabs() + "); stop one (DELETE /api/v1/labs/{id}) and try again");
        }
    }

    private String newId() {
        String id;
        do {
            id = String.format("%08x", ThreadLocalRandom.current().nextInt());
        } while (labs.containsKey(id) || Files.exists(labsDir.resolve(id)));
        return id;
    }

    private String start(String id, LabRequest request) {
        Lab lab;
        try {
            lab = new Lab(id, request, labsDir.resolve(id), settings, peerImages, log, evidence(id), s -> onFinished.accept(s));
        } catch (IllegalArgumentException e) {
            throw new LabException(e.getMessage());
        }
        labs.put(id, lab);
        pruneEvidence();
        Thread t = new Thread(lab::run, "lab-" + id);
        t.setDaemon(true);
        t.start();
        log.accept("lab " + id + " starting for build " + request.buildId() + " (" + request.lab().wanMode() + ")");
        return id;
    }

    /** Told once per lab with its status when its checks are done, it failed to start, or it was stopped before. */
    public void onFinished(Consumer<LabStatus> listener) {
        this.onFinished = listener;
    }

    /**
     * Where a lab's evidence lives (each node's whole console, checks.json; the studio adds the
     * firmware's manifest): in the data dir every node shares, kept after the lab stops.
     */
    public Path evidence(String id) {
        if (!id.matches("[0-9a-f]{8}")) {
            throw new LabException("'" + id + "' is not a lab id");
        }
        return settings.dataDir().resolve("evidence").resolve(id).toAbsolutePath();
    }

    /** Keeps the newest KEEP_EVIDENCE evidence folders. */
    private void pruneEvidence() {
        Path all = settings.dataDir().resolve("evidence");
        if (!Files.isDirectory(all)) {
            return;
        }
        try (var dirs = Files.list(all)) {
            List<Path> old = dirs.sorted(java.util.Comparator.comparing((Path p) -> {
                try {
                    return Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    return 0L;
                }
            }).reversed()).skip(KEEP_EVIDENCE).toList();
            for (Path p : old) {
                FileSystemUtils.deleteRecursively(p);
            }
        } catch (IOException e) {
            log.accept("lab evidence: cannot prune " + all + ": " + e.getMessage());
        }
    }

    /** Labs starting or running now (what counts against maxLabs). */
    public synchronized int running() {
        return (int) labs.values().stream().filter(l -> l.state() == Lab.State.STARTING || l.state() == Lab.State.RUNNING).count();
    }

    /** Whether this service knows the lab (running or stopped, until it is removed). */
    public synchronized boolean has(String id) {
        return labs.containsKey(id);
    }

    public LabStatus status(String id) {
        Lab lab = lab(id);
        lab.touch();
        return lab.status();
    }

    public synchronized List<LabStatus> labs() {
        List<LabStatus> out = new ArrayList<>();
        for (Lab l : labs.values()) {
            out.add(l.status());
        }
        return out;
    }

    /**
     * For SSE: the console events after lastEventId (0 = all scrollback), waiting up to maxWait for
     * new ones. Batch.gap() says events were evicted; Batch.closed() says the node is gone.
     */
    public ConsoleBuffer.Batch readConsole(String id, String node, long lastEventId, Duration maxWait) throws InterruptedException {
        Lab lab = lab(id);
        lab.touch();
        return lab.console(node).await(lastEventId, maxWait.toMillis());
    }

    /** Types text into a node's console ("\n" or "\r" is Enter). */
    public void type(String id, String node, String text) {
        Lab lab = lab(id);
        lab.touch();
        lab.type(node, text);
    }

    /** Factory reset of the lab's router: `factory-reset` typed on its console (see Lab#factoryReset). */
    public void factoryReset(String id) {
        Lab lab = lab(id);
        lab.touch();
        lab.factoryReset();
    }

    /** Upgrades the lab's router to another build (see Lab#upgrade); the upgrade and the checks run in the lab's thread. */
    public void upgrade(String id, LabRequest next) {
        Lab lab = lab(id);
        lab.touch();
        lab.upgrade(next);
    }

    /** Waits until every check has an outcome (or the timeout passes) and returns the status. */
    public LabStatus awaitChecks(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            LabStatus s = status(id);
            if (s.checksDone() || s.state() == Lab.State.FAILED || s.state() == Lab.State.STOPPED || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(250);
        }
    }

    public void stop(String id) {
        Lab lab;
        synchronized (this) {
            lab = labs.remove(id);
        }
        if (lab == null) {
            throw new LabException("there is no lab " + id);
        }
        lab.stop();
        LabLinks l = lab.links();
        if (l != null) {
            synchronized (this) {
                stoppedLinks.put(id, l);
                while (stoppedLinks.size() > KEEP_STOPPED_CAPTURES) {
                    stoppedLinks.remove(stoppedLinks.keySet().iterator().next());
                }
            }
        }
        log.accept("lab " + id + " stopped");
    }

    /**
     * The lab's links: relays, captures, summaries, faults. A running (or failed) lab's, or one of
     * the last {@value #KEEP_STOPPED_CAPTURES} stopped labs' (their captures stay downloadable, their
     * links can no longer change). Null while a starting lab has not opened them yet.
     */
    public LabLinks links(String id) {
        synchronized (this) {
            Lab lab = labs.get(id);
            if (lab != null) {
                lab.touch();
                return lab.links();
            }
            LabLinks l = stoppedLinks.get(id);
            if (l != null) {
                return l;
            }
        }
        throw new LabException("there is no lab " + id);
    }

    private synchronized Lab lab(String id) {
        Lab lab = labs.get(id);
        if (lab == null) {
            throw new LabException("there is no lab " + id);
        }
        return lab;
    }

    private void stopIdle() {
        List<String> idle = new ArrayList<>();
        synchronized (this) {
            for (Lab l : labs.values()) {
                boolean watched = false;
                for (String n : List.of(Lab.ROUTER, Lab.ISP, Lab.LAN)) {
                    watched |= l.console(n).subscriberCount() > 0;
                }
                if (!watched && l.idleNanos() > settings.idleTimeout().toNanos()) {
                    idle.add(l.id());
                }
            }
        }
        for (String id : idle) {
            log.accept("lab " + id + ": idle for " + settings.idleTimeout().toMinutes() + " min, stopping it");
            try {
                stop(id);
            } catch (LabException ignored) {
                // stopped meanwhile
            }
        }
    }

    /** Ends QEMUs a previous studio on this data dir left behind, then removes their lab dirs. */
    private void cleanStale() {
        if (!Files.isDirectory(labsDir)) {
            return;
        }
        String needle = labsDir + "/";
        List<String> qemus = TargetSpec.peerMachines().values().stream().map(TargetSpec::qemu).distinct().toList();
        List<Path> killed = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException e) {
                    continue;
                }
                if (cmd.contains(" " + MachineSpec.MARKER + ":") && cmd.contains(needle) && qemus.stream().anyMatch(q -> cmd.startsWith(q + " "))) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    log.accept("lab start-up: ending stale QEMU " + pid + " from an earlier run");
                    QemuMachine.signalGroup(pid, "KILL");
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    killed.add(p);
                }
            }
        } catch (IOException e) {
            log.accept("lab start-up: cannot scan /proc for stale QEMUs: " + e.getMessage());
        }
        // SIGKILL is asynchronous: wait (at most 5 s) until they are gone or only zombies.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Path p : killed) {
            while (System.nanoTime() < deadline && Files.exists(p) && !isZombie(p)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(labsDir)) {
            for (Path d : dirs) {
                log.accept("lab start-up: removing stale lab dir " + d);
                FileSystemUtils.deleteRecursively(d);
            }
        } catch (IOException e) {
            log.accept("lab start-up: cannot remove stale lab dirs: " + e.getMessage());
        }
    }

    private static boolean isZombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The peer image builder, for callers that want to build it ahead of the first lab. */
    public PeerImages peerImages() {
        return peerImages;
    }

    @Override
    public void close() {
        List<String> ids;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ids = new ArrayList<>(labs.keySet());
        }
        reaper.shutdownNow();
        for (String id : ids) {
            try {
                stop(id);
            } catch (LabException ignored) {
                // already gone
            }
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }
}
