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
    /** What the router runs: the lab's build, or after an upgrade the build it was upgraded to. */
    private volatile LabRequest request;
    private volatile LabDescription lab;
    /** The router's machine (kernel, initramfs, root; the same store and NICs after an upgrade). */
    private volatile MachineSpec routerSpec;
    /** The router's console event id before its QEMU was last started again (an upgrade). */
    private volatile long routerBootId;
    /** An upgrade asked for and not yet begun (the lab's thread takes it). */
    private final java.util.concurrent.atomic.AtomicReference<LabRequest> upgrade = new java.util.concurrent.atomic.AtomicReference<>();
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
    /** The built-in checks a user's peer VM cannot answer, each with why (none for the built-in ISP). */
    private final Map<String, String> peerLeftOut;

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
        roles.put(ISP, request.peer() == null ? lab.isp().role()
                : "your peer VM " + request.peer().name() + " (" + request.peer().descriptor().arch() + ", as " + lab.isp().role() + ")");
        roles.put(LAN, lab.lan().role());
        scripts.addAll(scripts(request));
        this.peerLeftOut = request.peer() == null ? Map.of() : request.peer().checksLeftOut(lab.checks());
        for (CheckScript s : scripts) {
            results.add(peerLeftOut.containsKey(s.name()) ? leftOut(s) : CheckResult.pending(s));
        }
    }

    private CheckResult leftOut(CheckScript s) {
        return new CheckResult(s.name(), s.title(), CheckStatus.SKIPPED, 0, null,
                "left out with peer VM " + request.peer().name() + ": " + peerLeftOut.get(s.name()), null);
    }

    /** The checks a request runs, in order: its lab's built-in ones but those left out, then the extra ones, then shutdown if asked. */
    private static List<CheckScript> scripts(LabRequest request) {
        List<CheckScript> out = new ArrayList<>();
        for (String c : request.lab().checks()) {
            if (c.equals("shutdown")) {
                out.addAll(request.extraChecks());
                if (!request.shutdownCheck()) {
                    continue;
                }
            } else if (!request.builtInChecks() || request.leftOut().contains(c)) {
                continue;
            }
            out.add(CheckScript.builtIn(c));
        }
        return out;
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
            routerSpec = new MachineSpec(ROUTER, target, target.memoryMb(), request.kernel(), request.initramfs(),
                    List.of(new MachineSpec.Disk(request.rootfs(), true)),
                    List.of(new MachineSpec.Nic("wan", lab.interfaces().get("wan").mac(), l.link(ACCESS_LINK).socket(ROUTER), false),
                            new MachineSpec.Nic("lan", lab.interfaces().get("lan").mac(), l.link(LAN_LINK).socket(ROUTER), false)))
                    .withStore(RouterStore.create(dir, target.store()));
            QemuMachine router = machine(routerSpec);
            Duration boot = settings.bootTimeout();
            routerStartNanos = System.nanoTime();
            router.start(boot);
            l.link(ACCESS_LINK).awaitConnected(ROUTER, boot, router::isAlive);
            l.link(LAN_LINK).awaitConnected(ROUTER, boot, router::isAlive);
            // The built-in peers run on the router's target: one emulator, one kernel package, one package
            // cache. A user's peer VM (request.peer()) is the ISP instead, on its own CPU's machine.
            PeerImages.PeerImage peer = peerImages.image(target, log);
            Path lanDisk = PeerConfigDisk.build(lab.lan().role(), lab.lan().values(), peer.rootfs(), dir.resolve("disk-lan"), log);
            PeerVm own = request.peer();
            QemuMachine isp = machine(own != null ? ownPeer(own, l)
                    : new MachineSpec(ISP, target, target.peerMemoryMb(), peer.kernel(), peer.initrd(),
                    List.of(new MachineSpec.Disk(PeerConfigDisk.build(lab.isp().role(), lab.isp().values(), peer.rootfs(), dir.resolve("disk-isp"), log), true)),
                    List.of(new MachineSpec.Nic("access", "52:54:00:00:03:01", l.link(ACCESS_LINK).socket(ISP), false))));
            QemuMachine client = machine(new MachineSpec(LAN, target, target.peerMemoryMb(), peer.kernel(), peer.initrd(),
                    List.of(new MachineSpec.Disk(lanDisk, true)),
                    List.of(new MachineSpec.Nic("lan", "52:54:00:00:04:01", l.link(LAN_LINK).socket(LAN), false))));
            isp.start(boot);
            client.start(boot);
            l.link(ACCESS_LINK).awaitConnected(ISP, boot, isp::isAlive);
            l.link(LAN_LINK).awaitConnected(LAN, boot, client::isAlive);
            if (own != null) {
                readyAndConfigured(own, isp);
            }
            state = State.RUNNING;
            log.accept("lab " + id + ": router started " + ms(routerStartNanos - startedNanos) + " ms after the lab");
            runChecks(java.util.stream.IntStream.range(0, scripts.size()).boxed().toList(), Map.of());
            // the verdict is the first run's; checks run again after a reboot show on the page
            if (state != State.STOPPED) {
                finish();
            }
            checkAgainAfterReboots();
        } catch (IOException | RuntimeException e) {
            if (state != State.STOPPED) {
                // the QEMUs end first: whoever sees the lab FAILED finds nothing of it running
                stopMachines();
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

    /**
     * A user's peer VM as the ISP: its disk (never written: snapshot=on), its kernel and initrd or
     * a boot from the disk, its access NIC on the access link and any NICs before that one
     * unplugged. The console lines are rendered now, so a line the lab's values cannot fill fails
     * the start before the peer's QEMU starts.
     */
    private MachineSpec ownPeer(PeerVm own, LabLinks l) throws IOException {
        for (Path p : java.util.Arrays.asList(own.disk(), own.kernel(), own.initrd())) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new IOException("peer VM " + own.name() + ": " + p.getFileName() + " is gone (deleted while the lab started?)");
            }
        }
        // the upload's own checks again: a file may have changed on disk since
        List<dev.routerstudio.profile.Violation> bad = PeerVmStore.fileProblems(own.disk(), own.kernel(), own.initrd(), own.descriptor().arch());
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("peer VM " + own.name() + ": its " + bad.get(0).field() + " " + bad.get(0).message());
        }
        own.consoleLines(lab.isp().values());
        List<MachineSpec.Nic> nics = new ArrayList<>();
        int access = own.descriptor().access();
        for (int i = 0; i <= access; i++) {
            nics.add(i == access ? new MachineSpec.Nic("access", "52:54:00:00:03:01", l.link(ACCESS_LINK).socket(ISP), false)
                    : new MachineSpec.Nic("unplugged" + i, "52:54:00:00:03:1" + i, null, false));
        }
        String append = own.descriptor().append() == null ? "console=ttyS0" : own.descriptor().append();
        return MachineSpec.foreign(ISP, own.machine(), own.descriptor().memory(), own.kernel(), own.initrd(), append,
                List.of(new MachineSpec.Disk(own.disk(), true, own.diskFormat())), nics);
    }

    /**
     * Waits until the peer VM's console prints its ready pattern, then types its console lines,
     * one at a time, each once the console has answered the one before. Not ready in time, or
     * ended before: the lab fails with why and the console's last lines (and run() stops every QEMU).
     */
    private void readyAndConfigured(PeerVm own, QemuMachine isp) throws IOException {
        java.util.regex.Pattern ready = java.util.regex.Pattern.compile(own.descriptor().ready());
        ConsoleBuffer console = buffers.get(ISP);
        long deadline = System.nanoTime() + Duration.ofSeconds(own.descriptor().readyTimeout()).toNanos();
        long t0 = System.nanoTime();
        // matched line by line (a line's start cut past 4096 characters), so a user's pattern never
        // runs over the whole console; the last 16 KiB stay for the message
        StringBuilder seen = new StringBuilder();
        StringBuilder line = new StringBuilder();
        long last = 0;
        try {
            boolean found = false;
            while (!found) {
                ConsoleBuffer.Batch b = console.await(last, 250);
                for (ConsoleBuffer.Event e : b.events()) {
                    seen.append(e.text());
                    for (int i = 0; i < e.text().length() && !found; i++) {
                        char c = e.text().charAt(i);
                        if (c == '\n') {
                            found = ready.matcher(ConsoleText.clean(line.toString())).find();
                            line.setLength(0);
                        } else if (line.length() < 4096) {
                            line.append(c);
                        }
                    }
                }
                if (seen.length() > 16384) {
                    seen.delete(0, seen.length() - 16384);
                }
                last = b.lastId(last);
                // a prompt that ends without a newline ("login: ") is a line too
                if (found || ready.matcher(ConsoleText.clean(line.toString())).find()) {
                    break;
                }
                if (state == State.STOPPED) {
                    throw new IllegalStateException("the lab was stopped");
                }
                if (!isp.isAlive()) {
                    throw new IOException("peer VM " + own.name() + " ended before it was ready (its console never printed /"
                            + own.descriptor().ready() + "/); last lines of its console:\n" + ConsoleText.lastLines(ConsoleText.clean(seen.toString()), 10));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("peer VM " + own.name() + " was not ready within " + own.descriptor().readyTimeout()
                            + " s: its console never printed /" + own.descriptor().ready() + "/ (the wrong image, the wrong arch, "
                            + "or a ready pattern it does not print?); last lines of its console:\n"
                            + ConsoleText.lastLines(ConsoleText.clean(seen.toString()), 10));
                }
            }
            log.accept("lab " + id + ": peer VM " + own.name() + " ready after " + ms(System.nanoTime() - t0) + " ms");
            List<String> lines = own.consoleLines(lab.isp().values());
            for (int n = 0; n < lines.size(); n++) {
                // Its echo, at least, before the next: typing on before the shell reads would lose
                // characters. A line now and then gets no echo at all under TCG (docs/status.md): as
                // the check engine does, cancel it with ^C and type it once more.
                for (int attempt = 1; attempt <= 2; attempt++) {
                    long before = console.lastId();
                    isp.console().type(lines.get(n) + "\n");
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (console.lastId() == before && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    if (console.lastId() != before) {
                        break;
                    }
                    log.accept("lab " + id + ": peer VM " + own.name() + " did not echo console line " + n + "; typing it again");
                    isp.console().type("\u0003\n");
                    Thread.sleep(500);
                }
                Thread.sleep(300);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for peer VM " + own.name());
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
     * itself: persist, shutdown) run again on the console from the reboot on. An upgrade asked for
     * meanwhile runs here too (see {@link #upgrade}). Ends with the router.
     */
    private void checkAgainAfterReboots() {
        QemuMachine router;
        synchronized (machines) {
            router = machines.get(ROUTER);
        }
        if (router == null || !router.isAlive()) {
            return;
        }
        RebootWatch watch = new RebootWatch(buffers.get(ROUTER), buffers.get(ROUTER).lastId());
        try {
            while (state == State.RUNNING) {
                long at = watch.next(Duration.ofSeconds(2), () -> upgrade.get() != null);
                if (at == RebootWatch.WOKEN) {
                    upgradeNow(upgrade.getAndSet(null));
                    watch = new RebootWatch(buffers.get(ROUTER), buffers.get(ROUTER).lastId());
                    continue;
                }
                if (at < 0 || state != State.RUNNING) {
                    return;
                }
                List<Integer> again;
                synchronized (results) {
                    // an upgrade asked for meanwhile runs next, and its checks with it
                    again = upgrade.get() != null ? List.of() : again();
                }
                if (again.isEmpty()) {
                    continue;
                }
                reboots++;
                log.accept("lab " + id + ": the router rebooted (" + reboots + "); its checks run again");
                synchronized (results) {
                    for (int i : again) {
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

    /** The checks about a running router: those before the first that reboots or ends it, but the upgrade. */
    private List<Integer> again() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < scripts.size() && !REBOOTING_CHECKS.contains(scripts.get(i).name()); i++) {
            if (!scripts.get(i).name().equals(UPGRADE_CHECK)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The check that powers the router off and boots the build it is upgraded to (qemu-runner/checks/upgrade.check). */
    public static final String UPGRADE_CHECK = "upgrade";

    /**
     * Upgrades the router to another build of the same target, as a person would flash one: the
     * upgrade check marks a change on the router, powers it off, and the router's QEMU starts again
     * with the new kernel, initramfs and root on the same writable store and links; the check sees
     * the change kept, then the new build's checks about a running router run. The lab's peers
     * stay as they are: the line does not change with the firmware. Refused unless the lab's
     * checks are done and the router runs; the new build's lab must have the same target and peers.
     */
    public void upgrade(LabRequest next) {
        if (state != State.RUNNING) {
            throw new LabException("lab " + id + " is " + state.name().toLowerCase() + "; an upgrade needs a running router");
        }
        if (!status().checksDone() || upgrade.get() != null) {
            throw new LabException("the checks of lab " + id + " are still running on the router's console; upgrade it when they are done");
        }
        QemuMachine router;
        synchronized (machines) {
            router = machines.get(ROUTER);
        }
        if (router == null || !router.isAlive()) {
            throw new LabException("the router of lab " + id + " is powered off; an upgrade needs it running (start a new lab)");
        }
        LabDescription to = next.lab();
        if (next.buildId().equals(request.buildId())) {
            throw new LabException("buildId: the router already runs build " + next.buildId() + "; an upgrade boots another build");
        }
        if (!to.target().equals(lab.target())) {
            throw new LabException("buildId: build " + next.buildId() + " is for target " + to.target() + ", and this lab's router is "
                    + lab.target() + ": an upgrade keeps the device, so build the profile for " + lab.target());
        }
        if (!to.isp().role().equals(lab.isp().role()) || !to.lan().role().equals(lab.lan().role())) {
            throw new LabException("buildId: build " + next.buildId() + " needs a " + to.isp().role() + " ISP and this lab's line is "
                    + lab.isp().role() + " (WAN mode " + lab.wanMode() + " → " + to.wanMode()
                    + "): an upgrade keeps the line, so start a new lab for that build");
        }
        // The line stays: the peers keep their description; the checks are the new build's.
        LabDescription kept = new LabDescription(to.format(), to.target(), to.wanMode(), to.uplink(), to.interfaces(), lab.isp(), lab.lan(),
                to.checks(), to.variables());
        LabRequest now = new LabRequest(next.buildId(), next.kernel(), next.initramfs(), next.rootfs(), kept, false,
                request.extraChecks(), request.builtInChecks(), request.leftOut(), request.peer());
        // What runs: the upgrade, then the new build's checks about a running router.
        List<CheckScript> run = new ArrayList<>();
        run.add(CheckScript.builtIn(UPGRADE_CHECK));
        for (CheckScript c : scripts(now)) {
            if (REBOOTING_CHECKS.contains(c.name())) {
                break;
            }
            run.add(c);
        }
        synchronized (results) {
            if (!status().checksDone() || upgrade.get() != null) {
                throw new LabException("the checks of lab " + id + " are still running on the router's console; upgrade it when they are done");
            }
            String from = request.buildId();
            MachineSpec old = routerSpec;
            routerSpec = new MachineSpec(ROUTER, target, old.memoryMb(), now.kernel(), now.initramfs(),
                    List.of(new MachineSpec.Disk(now.rootfs(), true)), old.nics(), old.store());
            request = now;
            lab = kept;
            scripts.clear();
            scripts.addAll(run);
            results.clear();
            for (CheckScript c : run) {
                results.add(CheckResult.pending(c));
            }
            upgrade.set(now);
            log.accept("lab " + id + ": upgrading the router from build " + from + " to build " + now.buildId() + "; its checks run again");
        }
    }

    /** Runs an upgrade in the lab's thread: the upgrade check, then (once the new build booted) the others. */
    private void upgradeNow(LabRequest now) {
        int count;
        synchronized (results) {
            count = scripts.size();
        }
        Map<String, Long> after = new LinkedHashMap<>();
        buffers.forEach((node, b) -> after.put(node, b.lastId()));
        long bootBefore = routerBootId;
        runChecks(List.of(0), after);
        if (routerBootId == bootBefore) {
            // the upgrade check failed before the new build booted: the router is the old one (or off)
            synchronized (results) {
                for (int i = 1; i < results.size(); i++) {
                    CheckResult r = results.get(i);
                    results.set(i, new CheckResult(r.name(), r.title(), CheckStatus.FAILED, r.seconds(), null,
                            "not run: the upgrade did not boot build " + now.buildId() + " (see the upgrade check)", null));
                }
            }
            return;
        }
        // The checks after it read the new build's console from its first line, as after a reboot.
        buffers.forEach((node, b) -> after.put(node, b.lastId()));
        after.put(ROUTER, routerBootId);
        runChecks(java.util.stream.IntStream.range(1, count).boxed().toList(), after);
    }

    /** Checks that reboot or power off the router themselves: never run again after a reboot. */
    private static final List<String> REBOOTING_CHECKS = List.of("persist", "shutdown");


    /** The factory reset a person would do on the router's console (^C first, in case a program holds it). */
    public void factoryReset() {
        if (state != State.RUNNING) {
            throw new LabException("lab " + id + " is " + state.name().toLowerCase() + "; a factory reset needs a running router");
        }
        if (!status().checksDone() || upgrade.get() != null) {
            throw new LabException("the checks of lab " + id + " are still running on the router's console; "
                    + "reset it when they are done");
        }
        type(ROUTER, "\u0003\nfactory-reset\n");
        log.accept("lab " + id + ": factory reset typed on the router's console");
    }

    /** Runs these checks (indices into scripts), on the consoles after the given event ids (from the start where none). */
    private void runChecks(List<Integer> which, Map<String, Long> after) {
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
                    restartNode(name);
                }
            });
        }
        try (CheckEngine engine = new CheckEngine(nodes, lab.variables(), this::sinceRouterStart, after, links)) {
            for (int i : which) {
                if (state == State.STOPPED || Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (peerLeftOut.containsKey(scripts.get(i).name())) {
                    setResult(i, leftOut(scripts.get(i)));
                    continue;
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
     * Powers a node off and boots it again (the isp-restart check: the ISP's equipment reboots and
     * forgets its sessions; the upgrade check: the router boots the build it is upgraded to): the
     * same disks, so the same configuration and store; the same ends of its links, which the relay
     * lets a new QEMU connect to; the same console buffer, going on.
     */
    void restartNode(String node) throws IOException {
        QemuMachine old;
        synchronized (machines) {
            old = machines.get(node);
        }
        if (old == null) {
            throw new IOException("this lab has no node " + node);
        }
        old.stop();
        buffers.get(node).reopen();
        if (ROUTER.equals(node)) {
            routerBootId = buffers.get(node).lastId();
        }
        QemuMachine fresh = machine(ROUTER.equals(node) ? routerSpec : old.spec());
        Duration boot = settings.bootTimeout();
        fresh.start(boot);
        for (String link : ROUTER.equals(node) ? List.of(ACCESS_LINK, LAN_LINK) : List.of(ISP.equals(node) ? ACCESS_LINK : LAN_LINK)) {
            links.link(link).awaitConnected(node, boot, fresh::isAlive);
        }
        log.accept("lab " + id + ": " + node + " powered off and booted again" + (ROUTER.equals(node) ? " (build " + request.buildId() + ")" : ""));
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
                    m == null ? null : m.exitCode(), e.getValue().lastId(), first, m == null ? 0 : m.resets()));
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
