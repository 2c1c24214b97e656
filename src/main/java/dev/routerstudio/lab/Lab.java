package dev.routerstudio.lab;

import dev.routerstudio.lab.link.LabLinks;
import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.pipeline.TargetSpec;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One lab as the firmware's lab description (lab.json) says: ISP peer (access network), LAN
 * client (lan network) and the router between them,
 * each a QEMU whose NICs connect to the studio's link relays (unix sockets in the lab dir, see
 * {@link LabLinks}: captures, faults, reconnects); then the checks, in order, over their consoles.
 * The relays listen before any QEMU starts, so no guest's connect can miss its socket.
 * The consoles exist from the start, so a viewer can attach before the router prints anything.
 */
public final class Lab {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    public static final String ROUTER = "router";
    public static final String ISP = "isp";
    public static final String LAN = "lan";
    /** The links: router WAN ↔ ISP (access), router LAN ↔ LAN client (lan). */
    public static final String ACCESS_LINK = "access";
    public static final String LAN_LINK = "lan";

    private final String id;
    private final LabRequest request;
    private final LabDescription lab;
    private final TargetSpec target;
    private final Path dir;
    private final LabSettings settings;
    private final PeerImages peerImages;
    private final Consumer<String> log;
    private final Map<String, ConsoleBuffer> buffers = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();
    private final Map<String, QemuMachine> machines = new LinkedHashMap<>();
    private final List<CheckScript> scripts = new ArrayList<>();
    private final List<CheckResult> results = new ArrayList<>();
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private volatile long routerStartNanos;
    private volatile State state = State.STARTING;
    private volatile String error;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Thread thread;
    private final Path evidence;
    private final Consumer<LabStatus> onFinished;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** How often the router rebooted after the checks (each reboot runs them again). */
    private volatile int reboots;
    private volatile LabLinks links;

    /**
     * evidence: where the lab leaves what it proved, kept after it stops (each node's whole
     * console, checks.json); onFinished: told once, when the checks are done, the lab failed to
     * start, or it was stopped before.
     */
    Lab(String id, LabRequest request, Path dir, LabSettings settings, PeerImages peerImages, Consumer<String> log,
        Path evidence, Consumer<LabStatus> onFinished) {
        this.id = id;
        this.request = request;
        this.lab = request.lab();
        try {
            this.target = TargetSpec.load(lab.target());
        } catch (PipelineException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        requireAddresses(lab.isp());
        this.dir = dir;
        this.settings = settings;
        this.peerImages = peerImages;
        this.log = log;
        this.evidence = evidence;
        this.onFinished = onFinished;
        for (String n : List.of(ROUTER, ISP, LAN)) {
            buffers.put(n, new ConsoleBuffer(settings.consoleBufferChars()));
        }
        roles.put(ROUTER, "router (" + lab.wanMode() + ")");
        roles.put(ISP, lab.isp().role());
        roles.put(LAN, lab.lan().role());
        for (String c : lab.checks()) {
            if (c.equals("shutdown")) {
                scripts.addAll(request.extraChecks());
                if (!request.shutdownCheck()) {
                    continue;
                }
            } else if (!request.builtInChecks() || request.leftOut().contains(c)) {
                continue;
            }
            scripts.add(CheckScript.builtIn(c));
        }
        for (CheckScript s : scripts) {
            results.add(CheckResult.pending(s));
        }
    }

    /** Boots the nodes and runs the checks; returns when the checks are done (the lab stays up). */
    void run() {
        thread = Thread.currentThread();
        try {
            Files.createDirectories(dir);
            Files.createDirectories(evidence.resolve("consoles"));
            for (Map.Entry<String, ConsoleBuffer> e : buffers.entrySet()) {
                e.getValue().recordTo(evidence.resolve("consoles").resolve(e.getKey() + ".log"));
            }
            for (Path p : List.of(request.kernel(), request.initramfs(), request.rootfs())) {
                if (!Files.isRegularFile(p)) {
                    throw new IOException("build artifact " + p + " does not exist");
                }
            }
            // The studio relays both links (captures, faults; a restarted peer can connect again):
            // its sockets exist before any QEMU starts, and every guest connects to its side.
            LabLinks l = LabLinks.open(dir, List.of(new LabLinks.Spec(ACCESS_LINK, ROUTER, ISP), new LabLinks.Spec(LAN_LINK, ROUTER, LAN)),
                    settings.captureBytes(), log);
            synchronized (machines) {
                links = l;
                if (state == State.STOPPED) {
                    l.close();
                    throw new IllegalStateException("the lab was stopped");
                }
            }
            QemuMachine router = machine(new MachineSpec(ROUTER, target, target.memoryMb(), request.kernel(), request.initramfs(),
                    List.of(new MachineSpec.Disk(request.rootfs(), true)),
                    List.of(new MachineSpec.Nic("wan", lab.interfaces().get("wan").mac(), l.link(ACCESS_LINK).socket(ROUTER), false),
                            new MachineSpec.Nic("lan", lab.interfaces().get("lan").mac(), l.link(LAN_LINK).socket(ROUTER), false)))
                    .withStore(RouterStore.create(dir, target.store())));
            Duration boot = settings.bootTimeout();
            routerStartNanos = System.nanoTime();
            router.start(boot);
            l.link(ACCESS_LINK).awaitConnected(ROUTER, boot, router::isAlive);
            l.link(LAN_LINK).awaitConnected(ROUTER, boot, router::isAlive);
            // Peers run on the router's target: one emulator, one kernel package, one package cache.
            PeerImages.PeerImage peer = peerImages.image(target, log);
            Path ispDisk = PeerConfigDisk.build(lab.isp().role(), lab.isp().values(), peer.rootfs(), dir.resolve("disk-isp"), log);
            Path lanDisk = PeerConfigDisk.build(lab.lan().role(), lab.lan().values(), peer.rootfs(), dir.resolve("disk-lan"), log);
            QemuMachine isp = machine(new MachineSpec(ISP, target, target.peerMemoryMb(), peer.kernel(), peer.initrd(),
                    List.of(new MachineSpec.Disk(ispDisk, true)),
                    List.of(new MachineSpec.Nic("access", "52:54:00:00:03:01", l.link(ACCESS_LINK).socket(ISP), false))));
            QemuMachine client = machine(new MachineSpec(LAN, target, target.peerMemoryMb(), peer.kernel(), peer.initrd(),
                    List.of(new MachineSpec.Disk(lanDisk, true)),
                    List.of(new MachineSpec.Nic("lan", "52:54:00:00:04:01", l.link(LAN_LINK).socket(LAN), false))));
            isp.start(boot);
            client.start(boot);
            l.link(ACCESS_LINK).awaitConnected(ISP, boot, isp::isAlive);
            l.link(LAN_LINK).awaitConnected(LAN, boot, client::isAlive);
            state = State.RUNNING;
            log.accept("lab " + id + ": router started " + ms(routerStartNanos - startedNanos) + " ms after the lab");
            runChecks(scripts.size(), Map.of());
            // the verdict is the first run's; checks run again after a reboot show on the page
            if (state != State.STOPPED) {
                finish();
            }
            checkAgainAfterReboots();
        } catch (IOException | RuntimeException e) {
            if (state != State.STOPPED) {
                error = e.getMessage();
                state = State.FAILED;
                log.accept("lab " + id + " failed: " + e.getMessage());
                synchronized (results) {
                    for (int i = 0; i < results.size(); i++) {
                        CheckResult r = results.get(i);
                        if (r.status() == CheckStatus.PENDING || r.status() == CheckStatus.RUNNING) {
                            results.set(i, new CheckResult(r.name(), r.title(), CheckStatus.FAILED, r.seconds(), null,
                                    "not run: the lab failed to start: " + e.getMessage(), null));
                        }
                    }
                }
                stopMachines();
                finish();
            }
        }
    }

    /** Writes checks.json beside the consoles and tells the listener, once. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        LabStatus s = status();
        try {
            Files.createDirectories(evidence);
            Files.writeString(evidence.resolve("checks.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            // what went over each link until the verdict (the capture goes on while the lab runs)
            LabLinks l = links;
            if (l != null) {
                Files.createDirectories(evidence.resolve("pcaps"));
                for (String name : l.names()) {
                    try (var out = Files.newOutputStream(evidence.resolve("pcaps").resolve(name + ".pcap"))) {
                        l.link(name).capture().writeTo(out);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.accept("lab " + id + ": could not write its evidence to " + evidence + ": " + e.getMessage());
        }
        try {
            onFinished.accept(s);
        } catch (RuntimeException e) {
            log.accept("lab " + id + ": recording its verdict failed: " + e.getMessage());
        }
    }

    /**
     * The access network has no DNS: an ISP address the peer must take (for L2TP, the server the
     * profile names) has to be an IPv4 address.
     */
    private static void requireAddresses(LabDescription.Peer isp) {
        for (String key : List.of("isp.address", "ppp.local")) {
            String a = isp.values().get(key);
            if (a != null && !a.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}")) {
                throw new IllegalArgumentException("the lab's ISP (" + isp.role() + ") must listen on " + key + " '" + a
                        + "', which is not an IPv4 address: the emulated access network has no DNS, so name the server by address");
            }
        }
    }

    private QemuMachine machine(MachineSpec spec) {
        QemuMachine m = new QemuMachine(spec, dir, id, buffers.get(spec.node()));
        synchronized (machines) {
            if (state == State.STOPPED) {
                throw new IllegalStateException("the lab was stopped");
            }
            machines.put(spec.node(), m);
        }
        return m;
    }

    /**
     * After the checks, the router may be rebooted (typed `reboot`, a factory reset): each time it
     * comes back, the checks about a running router (those before the first that reboots or ends it
     * itself: persist, shutdown) run again on the console from the reboot on. Ends with the router.
     */
    private void checkAgainAfterReboots() {
        int again = 0;
        while (again < scripts.size() && !REBOOTING_CHECKS.contains(scripts.get(again).name())) {
            again++;
        }
        QemuMachine router;
        synchronized (machines) {
            router = machines.get(ROUTER);
        }
        if (again == 0 || router == null || !router.isAlive()) {
            return;
        }
        RebootWatch watch = new RebootWatch(buffers.get(ROUTER), buffers.get(ROUTER).lastId());
        try {
            while (state == State.RUNNING) {
                long at = watch.next(Duration.ofSeconds(15));
                if (at < 0 || state != State.RUNNING) {
                    return;
                }
                reboots++;
                log.accept("lab " + id + ": the router rebooted (" + reboots + "); its checks run again");
                synchronized (results) {
                    for (int i = 0; i < again; i++) {
                        results.set(i, CheckResult.pending(scripts.get(i)));
                    }
                }
                // The peers' consoles from now on too: their earlier lines belong to the first round.
                Map<String, Long> after = new LinkedHashMap<>();
                buffers.forEach((node, b) -> after.put(node, b.lastId()));
                after.put(ROUTER, at);
                runChecks(again, after);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks that reboot or power off the router themselves: never run again after a reboot. */
    private static final List<String> REBOOTING_CHECKS = List.of("persist", "shutdown");

    /** The factory reset a person would do on the router's console (^C first, in case a program holds it). */
    public void factoryReset() {
        if (state != State.RUNNING) {
            throw new LabException("lab " + id + " is " + state.name().toLowerCase() + "; a factory reset needs a running router");
        }
        if (!status().checksDone()) {
            throw new LabException("the checks of lab " + id + " are still running on the router's console; "
                    + "reset it when they are done");
        }
        type(ROUTER, "\u0003\nfactory-reset\n");
        log.accept("lab " + id + ": factory reset typed on the router's console");
    }

    /** Runs the first count checks, on the consoles after the given event ids (from the start where none). */
    private void runChecks(int count, Map<String, Long> after) {
        List<CheckNode> nodes = new ArrayList<>();
        List<String> names;
        synchronized (machines) {
            names = List.copyOf(machines.keySet());
        }
        for (String name : names) {
            // the node's machine is looked up each time: a restarted peer is a new QEMU on the same console
            nodes.add(new CheckNode() {
                QemuMachine m() {
                    synchronized (machines) {
                        return machines.get(name);
                    }
                }

                public String name() {
                    return name;
                }

                public ConsoleBuffer buffer() {
                    return buffers.get(name);
                }

                public void type(String text) {
                    m().console().type(text);
                }

                public Integer awaitExit(Duration timeout) throws InterruptedException {
                    return m().awaitExit(timeout);
                }

                public void restart() throws IOException {
                    restartPeer(name);
                }
            });
        }
        try (CheckEngine engine = new CheckEngine(nodes, lab.variables(), this::sinceRouterStart, after, links)) {
            for (int i = 0; i < count; i++) {
                if (state == State.STOPPED || Thread.currentThread().isInterrupted()) {
                    return;
                }
                final int index = i;
                CheckResult r = engine.run(scripts.get(i), progress -> setResult(index, progress));
                setResult(i, r);
                log.accept("lab " + id + ": check " + r.name() + " " + r.status() + " after " + r.seconds() + " s ("
                        + r.detail() + ")");
            }
        }
    }

    /**
     * Powers a peer off and boots it again (the isp-restart check: the ISP's equipment reboots and
     * forgets its sessions): the same disk, so the same configuration; the same end of its link,
     * which the relay lets a new QEMU connect to; the same console buffer, going on.
     */
    void restartPeer(String node) throws IOException {
        if (ROUTER.equals(node)) {
            throw new IOException("the router is not restarted by the lab: type reboot on its console");
        }
        QemuMachine old;
        synchronized (machines) {
            old = machines.get(node);
        }
        if (old == null) {
            throw new IOException("this lab has no node " + node);
        }
        old.stop();
        buffers.get(node).reopen();
        QemuMachine fresh = machine(old.spec());
        Duration boot = settings.bootTimeout();
        fresh.start(boot);
        links.link(ISP.equals(node) ? ACCESS_LINK : LAN_LINK).awaitConnected(node, boot, fresh::isAlive);
        log.accept("lab " + id + ": " + node + " powered off and booted again");
    }

    private void setResult(int i, CheckResult r) {
        synchronized (results) {
            results.set(i, r);
        }
    }

    private Double sinceRouterStart() {
        long s = routerStartNanos;
        return s == 0 ? null : Math.round((System.nanoTime() - s) / 1e7) / 100.0;
    }

    void stop() {
        state = State.STOPPED;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        stopMachines();
        synchronized (results) {
            for (int i = 0; i < results.size(); i++) {
                CheckResult r = results.get(i);
                if (r.status() == CheckStatus.PENDING || r.status() == CheckStatus.RUNNING) {
                    results.set(i, new CheckResult(r.name(), r.title(), CheckStatus.FAILED, r.seconds(), null,
                            "not finished: the lab was stopped", null));
                }
            }
        }
        finish();
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.accept("lab " + id + ": could not remove " + dir + ": " + e.getMessage());
        }
    }

    private void stopMachines() {
        List<QemuMachine> all;
        synchronized (machines) {
            all = new ArrayList<>(machines.values());
        }
        for (QemuMachine m : all) {
            m.stop();
        }
        buffers.values().forEach(ConsoleBuffer::close);
        // The relays end after the QEMUs; their captures and summaries stay readable.
        LabLinks l;
        synchronized (machines) {
            l = links;
        }
        if (l != null) {
            l.close();
        }
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public ConsoleBuffer console(String node) {
        ConsoleBuffer b = buffers.get(node);
        if (b == null) {
            throw new LabException("lab " + id + " has no node '" + node + "' (nodes: " + buffers.keySet() + ")");
        }
        return b;
    }

    public void type(String node, String text) {
        console(node);
        QemuMachine m;
        synchronized (machines) {
            m = machines.get(node);
        }
        if (m == null || !m.isAlive()) {
            throw new LabException("node '" + node + "' of lab " + id + " is not running");
        }
        m.console().type(text);
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    Path dir() {
        return dir;
    }

    /** The lab's links, null before they are opened (the first moments of a start). */
    public LabLinks links() {
        return links;
    }

    public LabStatus status() {
        List<LabStatus.NodeStatus> nodes = new ArrayList<>();
        for (Map.Entry<String, ConsoleBuffer> e : buffers.entrySet()) {
            QemuMachine m;
            synchronized (machines) {
                m = machines.get(e.getKey());
            }
            Double first = null;
            if (m != null && m.console().firstOutputNanos() != 0) {
                first = Math.round((m.console().firstOutputNanos() - startedNanos) / 1e7) / 100.0;
            }
            nodes.add(new LabStatus.NodeStatus(e.getKey(), roles.get(e.getKey()),
                    m == null ? QemuMachine.State.STARTING : m.state(), m == null ? null : m.pid(),
                    m == null ? null : m.exitCode(), e.getValue().lastId(), first));
        }
        List<CheckResult> checks;
        synchronized (results) {
            checks = List.copyOf(results);
        }
        return new LabStatus(id, request.buildId(), lab.wanMode(), state, error, startedAt, nodes, checks, settings.node());
    }

    /** Seconds from the lab's start to the router's first console output, null before. */
    public Double routerFirstOutputSeconds() {
        return status().nodes().get(0).firstOutputSeconds();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
