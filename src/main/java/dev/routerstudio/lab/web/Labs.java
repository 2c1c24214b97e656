package dev.routerstudio.lab.web;

import dev.routerstudio.build.Build;
import dev.routerstudio.build.BuildService;
import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.ConsoleBuffer;
import dev.routerstudio.lab.FirmwareBundle;
import dev.routerstudio.lab.LabLimitException;
import dev.routerstudio.lab.LabRequest;
import dev.routerstudio.lab.PeerVm;
import dev.routerstudio.lab.PeerVmStore;
import dev.routerstudio.profile.Violation;
import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabStatus;
import dev.routerstudio.node.WorkerNodes;
import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.security.NodeSecretFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Boots builds in labs — here while this node has a free lab slot, otherwise on another node
 * that takes labs (studio.node.url and .secret), found again later through lab_placement — and
 * answers for a lab wherever it runs: status, consoles, typing, stop. A call from another node
 * (NodeSecretFilter) is answered for this node's own labs only, never sent on.
 */
@Service
public class Labs {

    private static final Logger log = LoggerFactory.getLogger(Labs.class);

    /** Where a lab runs: here (node null) or on another node. */
    public record Where(WorkerNodes.LabNode node) {
        public boolean local() {
            return node == null;
        }
    }

    private static final Where HERE = new Where(null);

    private final LabService labs;
    private final BuildService builds;
    private final WorkerNodes workers;
    private final RemoteLabs remote;
    private final LabPlacementRepository placements;
    private final LabEvidence evidence;
    private final PeerVmStore peers;

    public Labs(LabService labs, BuildService builds, WorkerNodes workers, RemoteLabs remote, LabPlacementRepository placements,
                LabEvidence evidence, PeerVmStore peers) {
        this.evidence = evidence;
        this.peers = peers;
        this.labs = labs;
        this.builds = builds;
        this.workers = workers;
        this.remote = remote;
        this.placements = placements;
    }

    /** shutdownCheck: end with the check that powers the router off (the page leaves it running to type into). */
    public String boot(long buildId, boolean shutdownCheck) {
        return boot(buildId, shutdownCheck, LabOptions.NONE);
    }

    /**
     * The page's boot: quick leaves out {@link LabOptions#QUICK} where the build's lab has them (the
     * link fault and the reboots), to reach a quiet console sooner.
     */
    public String boot(long buildId, boolean shutdownCheck, boolean quick) {
        return boot(buildId, shutdownCheck, LabOptions.NONE, quick);
    }

    /** The page's boot against an uploaded peer VM (null: the built-in ISP). */
    public String boot(long buildId, boolean shutdownCheck, String peer, boolean quick) {
        return boot(buildId, shutdownCheck, new LabOptions(null, null, peer), quick);
    }

    /** The same, with the lab set as options say (the login the ISP expects, checks left out). */
    public String boot(long buildId, boolean shutdownCheck, LabOptions options) {
        return boot(buildId, shutdownCheck, options, false);
    }

    private String boot(long buildId, boolean shutdownCheck, LabOptions given, boolean quick) {
        Build build = builds.get(buildId);
        LabRequest built = request(buildId, build);
        LabDescription lab = built.lab();
        LabOptions options = quick ? given.quick(lab) : given;
        lab = options.apply(lab);
        List<String> leftOut = options.leftOut(lab);
        try {
            LabRequest request = built.withLab(lab).withChecks(true, shutdownCheck, List.of()).leavingOut(leftOut.toArray(String[]::new));
            String id = labs.start(options.peer() == null ? request : request.withPeer(peer(options.peer())));
            builds.artifact(build, "manifest.json").ifPresent(m -> evidence.addManifest(id, m));
            return id;
        } catch (LabLimitException full) {
            return elsewhere(full, Long.toString(buildId), n -> remote.bootBuild(n, buildId, shutdownCheck, options));
        }
    }

    /** An uploaded peer VM by name, or a field error naming those there are. */
    private PeerVm peer(String name) {
        return peers.find(name).orElseThrow(() -> new LabOptionsException(List.of(new Violation("peer", "there is no peer VM '" + name
                + "'; peer VMs: " + (peers.list().isEmpty() ? "none (upload one on the peers page or POST /api/v1/peers)"
                : String.join(", ", peers.list().stream().map(PeerVm::name).toList()))))));
    }

    /**
     * What a lab of this build boots: its kernel, initramfs and root, and its lab.json. What the lab
     * runs is what the build decided, never the profile as it is now.
     */
    private LabRequest request(long buildId, Build build) {
        if (build.getStatus() != BuildStatus.SUCCEEDED) {
            throw new LabRefusedException("build " + buildId + " is " + build.getStatus().name().toLowerCase()
                    + "; only a succeeded build can boot in a lab");
        }
        Path kernel = builds.artifact(build, "vmlinuz").orElseThrow(() -> missing(buildId, "vmlinuz"));
        Path initramfs = builds.artifact(build, "initramfs.cpio.xz").orElseThrow(() -> missing(buildId, "initramfs.cpio.xz"));
        Path rootfs = builds.artifact(build, "rootfs.squashfs").orElseThrow(() -> missing(buildId, "rootfs.squashfs"));
        Path labJson = builds.artifact(build, LabDescription.FILE).orElseThrow(() -> missing(buildId, LabDescription.FILE));
        try {
            return LabRequest.of(Long.toString(buildId), kernel, initramfs, rootfs, LabDescription.read(labJson, "lab.json of build " + buildId));
        } catch (PipelineException e) {
            throw new LabRefusedException(e.getMessage());
        }
    }

    /**
     * Upgrades a running lab's router to another succeeded build of the same target and line,
     * wherever the lab runs (409 while its checks run, or when the build does not fit the lab).
     */
    public void upgrade(String id, long buildId) {
        Where w = locate(id);
        // refused here first when the build cannot boot (the nodes share the database and the data dir)
        LabRequest next = request(buildId, builds.get(buildId));
        if (!w.local()) {
            remote.upgrade(w.node(), id, buildId);
            return;
        }
        labs.upgrade(id, next);
        log.info("lab {}: upgrade to build {}", id, buildId);
    }

    /**
     * Boots an uploaded firmware.tar: streamed to a file under the data dir, unpacked into the
     * lab's folder and checked there (or sent on to a node with a free slot); the upload file is
     * removed whatever happens.
     */
    public String bootUpload(MultipartFile firmware, boolean shutdownCheck) {
        if (firmware == null || firmware.isEmpty()) {
            throw new BundleRejectedException("the multipart field 'firmware' is empty; send the firmware.tar a build produced");
        }
        Path upload = null;
        try {
            upload = labs.newUploadFile();
            firmware.transferTo(upload);
            try {
                return labs.startBundle(upload, shutdownCheck);
            } catch (LabLimitException full) {
                Path file = upload;
                return elsewhere(full, "upload", n -> remote.bootUpload(n, file, shutdownCheck));
            }
        } catch (FirmwareBundle.InvalidBundleException e) {
            throw new BundleRejectedException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the uploaded firmware.tar under the data dir: " + e.getMessage(), e);
        } finally {
            if (upload != null) {
                try {
                    Files.deleteIfExists(upload);
                } catch (IOException ignored) {
                    // the data dir went away; nothing left to clean
                }
            }
        }
    }

    /** This node is full: the first other node with a free slot takes the lab, or the refusal stands. */
    private String elsewhere(LabLimitException full, String buildId, Function<WorkerNodes.LabNode, Optional<LabStatus>> boot) {
        if (NodeSecretFilter.isNodeCall() || !remote.enabled()) {
            throw full;
        }
        List<WorkerNodes.LabNode> candidates = workers.forLabs();
        for (WorkerNodes.LabNode n : candidates) {
            Optional<LabStatus> started = boot.apply(n);
            if (started.isPresent()) {
                placements.save(new LabPlacement(started.get().id(), n.name(), buildId, Instant.now()));
                log.info("lab {} for build {} runs on worker {}", started.get().id(), buildId, n.name());
                return started.get().id();
            }
        }
        throw RemoteLabs.full(candidates.size());
    }

    private static LabRefusedException missing(long buildId, String name) {
        return new LabRefusedException("build " + buildId + " has no " + name + " (it was made by an older studio, or retention removed it) — build again");
    }

    /** Where the lab runs; 404 when no node knows it. */
    public Where locate(String id) {
        if (labs.has(id)) {
            return HERE;
        }
        if (NodeSecretFilter.isNodeCall()) {
            throw new LabNotFoundException(id);
        }
        LabPlacement p = placements.findById(id).orElseThrow(() -> new LabNotFoundException(id));
        return workers.labNode(p.getNode()).map(Where::new).orElseThrow(() -> {
            placements.delete(p);
            return new LabNotFoundException(id);
        });
    }

    public LabStatus status(String id) {
        Where w = locate(id);
        if (w.local()) {
            return labs.status(id);
        }
        return remote.status(w.node(), id).orElseThrow(() -> gone(id));
    }

    /** This node's labs and, unless another node asks, those of every live node that takes labs. */
    public List<LabStatus> all() {
        List<LabStatus> all = new ArrayList<>(labs.labs());
        if (NodeSecretFilter.isNodeCall() || !remote.enabled()) {
            return all;
        }
        for (WorkerNodes.LabNode n : workers.labNodes()) {
            try {
                all.addAll(remote.list(n));
            } catch (RuntimeException e) {
                log.warn("labs of worker {} left out of the list: {}", n.name(), e.getMessage());
            }
        }
        return all;
    }

    public void type(String id, String node, String text) {
        Where w = locate(id);
        if (w.local()) {
            labs.type(id, node, text);
        } else {
            remote.type(w.node(), id, node, text);
        }
    }

    /** Factory reset of the lab's router, wherever it runs (409 while its checks run). */
    public void factoryReset(String id) {
        Where w = locate(id);
        if (w.local()) {
            labs.factoryReset(id);
        } else {
            remote.factoryReset(w.node(), id);
        }
    }

    public void stop(String id) {
        Where w = locate(id);
        if (w.local()) {
            labs.stop(id);
            return;
        }
        boolean known = remote.stop(w.node(), id);
        placements.deleteById(id);
        if (!known) {
            throw new LabNotFoundException(id);
        }
    }

    /** For a local lab's console viewer. */
    public ConsoleBuffer.Batch readConsole(String id, String node, long after, Duration maxWait) throws InterruptedException {
        return labs.readConsole(id, node, after, maxWait);
    }

    /**
     * The links of a lab on this node (also of a recently stopped one, whose captures are kept).
     * A lab on another node: refused with where it runs; its links are not passed on yet.
     */
    public dev.routerstudio.lab.link.LabLinks localLinks(String id) {
        if (!labs.has(id) && !NodeSecretFilter.isNodeCall()) {
            Optional<LabPlacement> p = placements.findById(id);
            if (p.isPresent()) {
                throw new LabRefusedException("lab " + id + " runs on worker " + p.get().getNode()
                        + ": its links (captures, faults) are served by that node only; this node passes on its consoles, not its links yet");
            }
        }
        return labs.links(id);
    }

    public RemoteLabs remote() {
        return remote;
    }

    /** The other node forgot the lab (it stopped, or went idle): so does this one. */
    private LabNotFoundException gone(String id) {
        placements.deleteById(id);
        return new LabNotFoundException(id);
    }

    public void requireKnown(String id) {
        locate(id);
    }
}
