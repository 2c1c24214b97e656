package dev.routerstudio.lab.web;

import dev.routerstudio.lab.CheckResult;
import dev.routerstudio.lab.CheckStatus;
import dev.routerstudio.lab.Lab;
import dev.routerstudio.lab.LabStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A lab's verdict as it finished, kept after the lab is gone. */
@Entity
@Table(name = "lab_run")
public class LabRun {

    /** passed: every check passed or was skipped; failed: a check failed; error: the lab did not start. */
    public enum Verdict { PASSED, FAILED, ERROR }

    @Id
    @Column(name = "lab_id")
    private String labId;

    @Column(name = "build_id", nullable = false)
    private String buildId;

    @Column(name = "wan_mode", nullable = false)
    private String wanMode;

    @Column
    private String worker;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at", nullable = false)
    private Instant finishedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Verdict verdict;

    @Column(name = "checks_passed", nullable = false)
    private int checksPassed;

    @Column(name = "checks_failed", nullable = false)
    private int checksFailed;

    @Column(name = "checks_skipped", nullable = false)
    private int checksSkipped;

    protected LabRun() {
    }

    static LabRun of(LabStatus s, Instant finishedAt) {
        LabRun r = new LabRun();
        r.labId = s.id();
        r.buildId = s.buildId();
        r.wanMode = s.wanMode();
        r.worker = s.worker();
        r.startedAt = s.startedAt();
        r.finishedAt = finishedAt;
        for (CheckResult c : s.checks()) {
            switch (c.status()) {
                case PASSED -> r.checksPassed++;
                case SKIPPED -> r.checksSkipped++;
                default -> r.checksFailed++;
            }
        }
        r.verdict = verdictOf(s);
        return r;
    }

    static Verdict verdictOf(LabStatus s) {
        if (s.state() == Lab.State.FAILED) {
            return Verdict.ERROR;
        }
        return s.checks().stream().allMatch(c -> c.status() == CheckStatus.PASSED || c.status() == CheckStatus.SKIPPED)
                && s.checks().stream().anyMatch(c -> c.status() == CheckStatus.PASSED) ? Verdict.PASSED : Verdict.FAILED;
    }

    public String getLabId() { return labId; }
    public String getBuildId() { return buildId; }
    public String getWanMode() { return wanMode; }
    public String getWorker() { return worker; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getFinishedAt() { return finishedAt; }
    public Verdict getVerdict() { return verdict; }
    public int getChecksPassed() { return checksPassed; }
    public int getChecksFailed() { return checksFailed; }
    public int getChecksSkipped() { return checksSkipped; }
}
