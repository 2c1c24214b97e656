package dev.routerstudio.build;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.profile.ProfileSpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import java.util.List;

/**
 * Whether a new build may join the queue: the profile must be buildable as it stands, the data
 * dir must have room, and neither the user nor the studio may have too many builds waiting —
 * limits that keep one user, or a burst, from filling the machine.
 */
@Component
class BuildAdmission {

    private static final List<BuildStatus> WAITING_OR_RUNNING = List.of(BuildStatus.QUEUED, BuildStatus.RUNNING);

    private final BuildRepository builds;
    private final TransactionTemplate tx;
    private final FreeSpace freeSpace;
    private final int maxQueuedPerUser;
    private final int maxQueued;

    BuildAdmission(BuildRepository builds, TransactionTemplate tx, StudioProperties studio,
                   @Value("${studio.builds.max-queued-per-user:3}") int maxQueuedPerUser,
                   @Value("${studio.builds.max-queued:10}") int maxQueued,
                   @Value("${studio.builds.min-free-space:2GB}") DataSize minFreeSpace) {
        this.builds = builds;
        this.tx = tx;
        this.freeSpace = new FreeSpace(studio.dataDir(), minFreeSpace);
        this.maxQueuedPerUser = maxQueuedPerUser;
        this.maxQueued = maxQueued;
    }

    void checkBuildable(String profileName, ProfileSpec spec) {
        if (spec.wan().hasPassword() && spec.wanPassword() == null) {
            throw new BuildRefusedException("profile '" + profileName + "' has no WAN password yet (imports carry none) — set it, then build");
        }
    }

    void checkSpace() {
        freeSpace.check();
    }

    /** Saves the build if the queue has room; the count and the insert must not interleave with another submit. */
    synchronized Build admit(String user, Build build) {
        long all = builds.countByStatusIn(WAITING_OR_RUNNING);
        long mine = builds.countByRequestedByAndStatusIn(user, WAITING_OR_RUNNING);
        long retryAfter = 30 * Math.max(1, all);
        if (mine >= maxQueuedPerUser) {
            throw new BuildQueueFullException("you already have " + mine + " builds queued or running (the limit is "
                    + maxQueuedPerUser + "); this one would have been number " + (all + 1)
                    + " in the queue — wait for one to finish or cancel one", retryAfter);
        }
        if (all >= maxQueued) {
            throw new BuildQueueFullException("the build queue is full (" + all + " queued or running, the limit is "
                    + maxQueued + "); this build would have been number " + (all + 1) + " — try again later", retryAfter);
        }
        return tx.execute(s -> builds.save(build));
    }
}
