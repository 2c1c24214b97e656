package dev.routerstudio.build;

import dev.routerstudio.node.NodeProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After a restart: build tools the old studio left behind are ended, and the builds this node
 * was running are taken over like a dead worker's (queued again once, failed the second time);
 * then the queue starts claiming, oldest first.
 */
@Component
class BuildRecovery {

    private final BuildRepository builds;
    private final BuildFolders folders;
    private final OrphanedBuildTools orphans;
    private final BuildQueue queue;
    private final NodeProperties node;

    BuildRecovery(BuildRepository builds, BuildFolders folders, OrphanedBuildTools orphans, BuildQueue queue, NodeProperties node) {
        this.node = node;
        this.builds = builds;
        this.folders = folders;
        this.orphans = orphans;
        this.queue = queue;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void recover() {
        orphans.reap();
        if (!node.role().runsBuilds()) {
            return;
        }
        for (Build b : builds.findByStatusOrderByIdAsc(BuildStatus.RUNNING)) {
            // Builds this node ran before it stopped (or, from before workers, any node's).
            if ((b.getWorker() == null || b.getWorker().equals(node.name())) && !queue.runsHere(b.getId())) {
                BuildFolders.deleteQuietly(folders.workDir(b.getId()));
                BuildFolders.deleteQuietly(folders.artifactsDir(b.getId()));
                queue.takeOver(b, node.name() + " stopped while it ran");
            }
        }
        queue.start();
    }
}
