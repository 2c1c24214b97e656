package dev.routerstudio.node;

import dev.routerstudio.lab.LabService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The nodes that run builds and labs, as they report themselves in the shared database. */
@Service
public class WorkerNodes {

    /**
     * A node as the workers list shows it; alive while its heartbeats keep coming. takesLabs: it
     * runs labs started through other nodes (it has a url and the shared secret).
     */
    public record View(String name, String role, int buildSlots, int labSlots, int buildsRunning, int labsRunning,
                       boolean takesLabs, Instant startedAt, Instant heartbeatAt, boolean alive) {
    }

    /** A node another may send a lab to. */
    public record LabNode(String name, String url, int freeSlots) {
    }

    private final WorkerNodeRepository nodes;
    private final TransactionTemplate tx;
    private final NodeProperties node;
    private final int labSlots;
    private final ObjectProvider<LabService> labs;

    WorkerNodes(WorkerNodeRepository nodes, TransactionTemplate tx, NodeProperties node, @Value("${studio.labs.max:2}") int labSlots,
                ObjectProvider<LabService> labs) {
        this.nodes = nodes;
        this.tx = tx;
        this.node = node;
        this.labSlots = node.role().runsLabs() ? labSlots : 0;
        this.labs = labs;
    }

    public NodeProperties self() {
        return node;
    }

    /** This node starts running builds: its row is written anew (a restart keeps the name). */
    public void register(int buildSlots) {
        Instant now = Instant.now();
        String role = node.role().name().toLowerCase();
        String url = node.takesRemoteLabs() ? node.url() : null;
        tx.executeWithoutResult(s -> nodes.findById(node.name()).ifPresentOrElse(
                n -> n.restart(role, buildSlots, labSlots, url, now),
                () -> nodes.save(new WorkerNode(node.name(), role, buildSlots, labSlots, url, now))));
    }

    /** Called inside the heartbeat's transaction. */
    public void beat(int buildsRunning, Instant now) {
        LabService l = labs.getIfAvailable();
        int labsRunning = l == null ? 0 : l.running();
        nodes.findById(node.name()).ifPresent(n -> n.report(buildsRunning, labsRunning, now));
    }

    public List<View> list() {
        Instant silentSince = silentSince();
        return nodes.findAllByOrderByNameAsc().stream()
                .map(n -> new View(n.getName(), n.getRole(), n.getBuildSlots(), n.getLabSlots(), n.getBuildsRunning(),
                        n.getLabsRunning(), n.getUrl() != null, n.getStartedAt(), n.getHeartbeatAt(), n.getHeartbeatAt().isAfter(silentSince)))
                .toList();
    }

    /**
     * The other nodes that may take a lab now, most free slots first (as of their last
     * heartbeat; the node itself refuses with 429 if it filled up since).
     */
    public List<LabNode> forLabs() {
        return labNodes().stream().filter(n -> n.freeSlots() > 0)
                .sorted(Comparator.comparingInt(LabNode::freeSlots).reversed())
                .toList();
    }

    /** The other live nodes that take labs, by name. */
    public List<LabNode> labNodes() {
        Instant silentSince = silentSince();
        return nodes.findAllByOrderByNameAsc().stream()
                .filter(n -> !n.getName().equals(node.name()) && n.getUrl() != null && n.getHeartbeatAt().isAfter(silentSince))
                .map(n -> new LabNode(n.getName(), n.getUrl(), n.getLabSlots() - n.getLabsRunning()))
                .toList();
    }

    /** Another node by name, if it is alive and takes labs. */
    public Optional<LabNode> labNode(String name) {
        Instant silentSince = silentSince();
        return nodes.findById(name)
                .filter(n -> n.getUrl() != null && n.getHeartbeatAt().isAfter(silentSince))
                .map(n -> new LabNode(n.getName(), n.getUrl(), n.getLabSlots() - n.getLabsRunning()));
    }

    private Instant silentSince() {
        return Instant.now().minus(node.takeoverAfter());
    }
}
