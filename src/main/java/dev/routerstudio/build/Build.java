package dev.routerstudio.build;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Duration;
import java.time.Instant;

/**
 * One request to turn a profile version into firmware. The spec is snapshotted without secrets
 * when the build is queued; the password is read from the profile when the build starts.
 */
@Entity
@Table(name = "build")
@DynamicUpdate // several nodes write one row (the runner its stage, any node a cancel request): each writes only what it changed
public class Build {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "profile_name", nullable = false)
    private String profileName;

    @Column(name = "profile_version", nullable = false)
    private long profileVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private BuildStatus status;

    private String stage;

    private String error;

    @Column(name = "spec_json", nullable = false)
    private String specJson;

    @Column(name = "spec_hash")
    private String specHash;

    @Column(name = "result_json")
    private String resultJson;

    /** The build whose artifacts this one serves: itself, or an identical earlier build (cache hit). */
    @Column(name = "artifacts_build")
    private Long artifactsBuild;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "requested_by")
    private String requestedBy;

    /** Pinned builds are kept however many newer builds the profile gets. */
    @Column(nullable = false)
    private boolean pinned;

    /** The node running (or that ran) the build. */
    private String worker;

    /** When the running build's worker last said it is alive. */
    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    /** Asked to stop; the worker running it (wherever that is) sees it at its next heartbeat. */
    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    /** 1, or 2 once a worker's death put the build back in the queue. */
    @Column(nullable = false)
    private int attempt = 1;

    protected Build() {
    }

    public Build(String profileName, long profileVersion, String specJson, String requestedBy) {
        this.requestedBy = requestedBy;
        this.profileName = profileName;
        this.profileVersion = profileVersion;
        this.specJson = specJson;
        this.status = BuildStatus.QUEUED;
        this.createdAt = Instant.now();
    }

    void requestCancel() {
        cancelRequested = true;
    }

    void succeed(String hash, String result, long artifactsOf) {
        status = BuildStatus.SUCCEEDED;
        specHash = hash;
        resultJson = result;
        artifactsBuild = artifactsOf;
        error = null;
        finishedAt = Instant.now();
    }

    void fail(String reason) {
        status = BuildStatus.FAILED;
        error = reason.length() > 1900 ? reason.substring(0, 1900) + "…" : reason;
        finishedAt = Instant.now();
    }

    void cancel() {
        status = BuildStatus.CANCELLED;
        error = "cancelled";
        finishedAt = Instant.now();
    }

    void setStage(String stage) {
        this.stage = stage;
    }

    void setSpecHash(String specHash) {
        this.specHash = specHash;
    }



    void setPinned(boolean pinned) {
        this.pinned = pinned;
    }

    /** Wall time from start to finish (or now while running). */
    public Duration elapsed() {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    public Long getId() { return id; }
    public String getProfileName() { return profileName; }
    public long getProfileVersion() { return profileVersion; }
    public BuildStatus getStatus() { return status; }
    public String getStage() { return stage; }
    public String getError() { return error; }
    public String getSpecJson() { return specJson; }
    public String getSpecHash() { return specHash; }
    public String getResultJson() { return resultJson; }
    public Long getArtifactsBuild() { return artifactsBuild; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getFinishedAt() { return finishedAt; }
    public String getRequestedBy() { return requestedBy; }
    public boolean isPinned() { return pinned; }
    public String getWorker() { return worker; }
    public Instant getHeartbeatAt() { return heartbeatAt; }
    public boolean isCancelRequested() { return cancelRequested; }
    public int getAttempt() { return attempt; }
}
