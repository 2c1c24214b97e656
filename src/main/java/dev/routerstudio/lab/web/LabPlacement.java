package dev.routerstudio.lab.web;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A lab started through one node on another: any node finds it again by its id. */
@Entity
@Table(name = "lab_placement")
public class LabPlacement {

    @Id
    @Column(name = "lab_id")
    private String labId;

    @Column(nullable = false)
    private String node;

    @Column(name = "build_id", nullable = false)
    private String buildId;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    protected LabPlacement() {
    }

    LabPlacement(String labId, String node, String buildId, Instant startedAt) {
        this.labId = labId;
        this.node = node;
        this.buildId = buildId;
        this.startedAt = startedAt;
    }

    public String getLabId() { return labId; }
    public String getNode() { return node; }
    public String getBuildId() { return buildId; }
    public Instant getStartedAt() { return startedAt; }
}
