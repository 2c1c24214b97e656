package dev.routerstudio.node;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;

/** The nodes that run builds, as they report themselves in the shared database. */
@Service
public class WorkerNodes {

    /** A node as the workers list shows it; alive while its heartbeats keep coming. */
    public record View(String name, String role, int buildSlots, int labSlots, int buildsRunning,
                       Instant startedAt, Instant heartbeatAt, boolean alive) {
    }

    private final WorkerNodeRepository nodes;
    private final TransactionTemplate tx;
    private final NodeProperties node;
    private final int labSlots;

    WorkerNodes(WorkerNodeRepository nodes, TransactionTemplate tx, NodeProperties node, @Value("${studio.labs.max:2}") int labSlots) {
        this.nodes = nodes;
        this.tx = tx;
        this.node = node;
        this.labSlots = labSlots;
    }

    public NodeProperties self() {
        return node;
    }

    /** This node starts running builds: its row is written anew (a restart keeps the name). */
    public void register(int buildSlots) {
        Instant now = Instant.now();
        String role = node.role().name().toLowerCase();
        tx.executeWithoutResult(s -> nodes.findById(node.name()).ifPresentOrElse(
                n -> n.restart(role, buildSlots, labSlots, now),
                () -> nodes.save(new WorkerNode(node.name(), role, buildSlots, labSlots, now))));
    }

    /** Called inside the heartbeat's transaction. */
    public void beat(int buildsRunning, Instant now) {
        nodes.findById(node.name()).ifPresent(n -> n.report(buildsRunning, now));
    }

    public List<View> list() {
        Instant silentSince = Instant.now().minus(node.takeoverAfter());
        return nodes.findAllByOrderByNameAsc().stream()
                .map(n -> new View(n.getName(), n.getRole(), n.getBuildSlots(), n.getLabSlots(), n.getBuildsRunning(),
                        n.getStartedAt(), n.getHeartbeatAt(), n.getHeartbeatAt().isAfter(silentSince)))
                .toList();
    }
}
