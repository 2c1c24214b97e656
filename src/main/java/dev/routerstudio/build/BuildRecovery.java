package dev.routerstudio.build;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a restart: build tools the old studio left behind are ended, builds that were running
 * are marked failed (build again to retry) and queued ones run again, in order.
 */
@Component
class BuildRecovery {

    private static final Logger log = LoggerFactory.getLogger(BuildRecovery.class);

    private final BuildRepository builds;
    private final TransactionTemplate tx;
    private final BuildFolders folders;
    private final OrphanedBuildTools orphans;
    private final BuildQueue queue;

    BuildRecovery(BuildRepository builds, TransactionTemplate tx, BuildFolders folders, OrphanedBuildTools orphans, BuildQueue queue) {
        this.builds = builds;
        this.tx = tx;
        this.folders = folders;
        this.orphans = orphans;
        this.queue = queue;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void recover() {
        orphans.reap();
        for (Build b : builds.findByStatusOrderByIdAsc(BuildStatus.RUNNING)) {
            tx.executeWithoutResult(s -> {
                Build fresh = builds.findById(b.getId()).orElseThrow();
                fresh.fail("interrupted: the studio stopped while this build was running — build again to retry");
                builds.save(fresh);
            });
            BuildFolders.deleteQuietly(folders.workDir(b.getId()));
            BuildFolders.deleteQuietly(folders.artifactsDir(b.getId()));
            log.info("Build {} was interrupted by a restart and is marked failed", b.getId());
        }
        for (Build b : builds.findByStatusOrderByIdAsc(BuildStatus.QUEUED)) {
            queue.enqueue(b.getId());
        }
    }
}
