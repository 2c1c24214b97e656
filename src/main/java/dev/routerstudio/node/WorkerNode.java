package dev.routerstudio.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A node that runs builds, as it last reported itself. */
@Entity
@Table(name = "worker_node")
public class WorkerNode {

    @Id
    private String name;

    @Column(nullable = false)
    private String role;

    @Column(name = "build_slots", nullable = false)
    private int buildSlots;

    @Column(name = "lab_slots", nullable = false)
    private int labSlots;

    @Column(name = "builds_running", nullable = false)
    private int buildsRunning;

    @Column(name = "labs_running", nullable = false)
    private int labsRunning;

    /** Where other nodes reach this one for labs; null when it takes none from them. */
    @Column
    private String url;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "heartbeat_at", nullable = false)
    private Instant heartbeatAt;

    protected WorkerNode() {
    }

    WorkerNode(String name, String role, int buildSlots, int labSlots, String url, Instant startedAt) {
        this.name = name;
        this.role = role;
        this.buildSlots = buildSlots;
        this.labSlots = labSlots;
        this.url = url;
        this.startedAt = startedAt;
        this.heartbeatAt = startedAt;
    }

    void report(int running, int labs, Instant now) {
        this.buildsRunning = running;
        this.labsRunning = labs;
        this.heartbeatAt = now;
    }

    void restart(String role, int buildSlots, int labSlots, String url, Instant now) {
        this.role = role;
        this.buildSlots = buildSlots;
        this.labSlots = labSlots;
        this.url = url;
        this.labsRunning = 0;
        this.startedAt = now;
        this.heartbeatAt = now;
        this.buildsRunning = 0;
    }

    public String getName() { return name; }
    public String getRole() { return role; }
    public int getBuildSlots() { return buildSlots; }
    public int getLabSlots() { return labSlots; }
    public int getBuildsRunning() { return buildsRunning; }
    public int getLabsRunning() { return labsRunning; }
    public String getUrl() { return url; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getHeartbeatAt() { return heartbeatAt; }
}
