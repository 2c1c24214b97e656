package dev.routerstudio.build;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * Keeps the newest finished builds of a profile (studio.builds.keep-per-profile) and every
 * pinned one; older builds go with their artifacts and logs.
 */
@Component
class BuildRetention {

    private static final Logger log = LoggerFactory.getLogger(BuildRetention.class);

    private final BuildRepository builds;
    private final TransactionTemplate tx;
    private final BuildFolders folders;
    private final int keepPerProfile;

    BuildRetention(BuildRepository builds, TransactionTemplate tx, BuildFolders folders,
                   @Value("${studio.builds.keep-per-profile:10}") int keepPerProfile) {
        this.builds = builds;
        this.tx = tx;
        this.folders = folders;
        this.keepPerProfile = keepPerProfile;
    }

    /** Keeps a build past retention, or lets it go again. */
    Build pin(long id, boolean pinned) {
        return tx.execute(s -> {
            Build b = builds.findById(id).orElseThrow(() -> new BuildNotFoundException(id));
            b.setPinned(pinned);
            return builds.save(b);
        });
    }

    void apply(String profileName) {
        List<Build> finished = builds.findByProfileNameOrderByIdDesc(profileName).stream()
                .filter(b -> b.getStatus().finished()).toList();
        int kept = 0;
        for (Build b : finished) {
            if (kept < keepPerProfile) {
                kept++;
                continue;
            }
            if (b.isPinned() || isServedByOthers(b)) {
                continue;
            }
            tx.executeWithoutResult(s -> builds.deleteById(b.getId()));
            BuildFolders.deleteQuietly(folders.dir(b.getId()));
            log.info("Retention: removed build {} of {}", b.getId(), profileName);
        }
    }

    private boolean isServedByOthers(Build b) {
        return builds.existsByArtifactsBuildAndIdNot(b.getId(), b.getId());
    }
}
