package dev.routerstudio.build;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface BuildRepository extends JpaRepository<Build, Long> {

    List<Build> findByProfileNameOrderByIdDesc(String profileName);

    List<Build> findByStatusOrderByIdAsc(BuildStatus status);

    @Query("select count(b) from Build b where b.status = dev.routerstudio.build.BuildStatus.QUEUED and b.id < ?1")
    long countQueuedBefore(long id);

    Optional<Build> findFirstBySpecHashAndStatusAndArtifactsBuildIsNotNullOrderByIdDesc(String specHash, BuildStatus status);

    boolean existsByArtifactsBuildAndIdNot(Long artifactsBuild, Long id);

    long countByStatusIn(List<BuildStatus> statuses);

    long countByRequestedByAndStatusIn(String requestedBy, List<BuildStatus> statuses);

    /** The oldest queued builds, to claim in order. */
    List<Build> findTop5ByStatusOrderByIdAsc(BuildStatus status);

    List<Build> findTop20ByStatusOrderByIdDesc(BuildStatus status);

    /**
     * Claims a queued build for a worker: a compare-and-set on the row, so of two workers
     * claiming the same build exactly one gets 1 back.
     */
    @Modifying
    @Query("update Build b set b.status = dev.routerstudio.build.BuildStatus.RUNNING, b.worker = ?2, b.startedAt = ?3, "
            + "b.heartbeatAt = ?3, b.stage = 'resolve' where b.id = ?1 and b.status = dev.routerstudio.build.BuildStatus.QUEUED")
    int claim(long id, String worker, Instant now);

    @Modifying
    @Query("update Build b set b.heartbeatAt = ?2 where b.worker = ?1 and b.status = dev.routerstudio.build.BuildStatus.RUNNING")
    int beat(String worker, Instant now);

    @Query("select b.id from Build b where b.worker = ?1 and b.status = dev.routerstudio.build.BuildStatus.RUNNING and b.cancelRequested = true")
    List<Long> cancelRequestedOn(String worker);

    /** Running builds whose worker has not said it is alive since the instant. */
    @Query("select b from Build b where b.status = dev.routerstudio.build.BuildStatus.RUNNING and (b.heartbeatAt is null or b.heartbeatAt < ?1)")
    List<Build> runningWithoutHeartbeatSince(Instant since);

    /** Puts a dead worker's build back in the queue, if nobody did meanwhile. */
    @Modifying
    @Query("update Build b set b.status = dev.routerstudio.build.BuildStatus.QUEUED, b.worker = null, b.heartbeatAt = null, "
            + "b.startedAt = null, b.stage = null, b.attempt = b.attempt + 1 "
            + "where b.id = ?1 and b.status = dev.routerstudio.build.BuildStatus.RUNNING and b.attempt = ?2")
    int requeue(long id, int attempt);

    /** Fails a dead worker's build that was already retried once, if nobody did meanwhile. */
    @Modifying
    @Query("update Build b set b.status = dev.routerstudio.build.BuildStatus.FAILED, b.error = ?3, b.finishedAt = ?4 "
            + "where b.id = ?1 and b.status = dev.routerstudio.build.BuildStatus.RUNNING and b.attempt = ?2")
    int failInterrupted(long id, int attempt, String error, Instant now);
}
