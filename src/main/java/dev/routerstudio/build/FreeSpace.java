package dev.routerstudio.build;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Refuses a build up front when the data dir has less usable space than one needs. Asks the
 * filesystem directly (statvfs through {@link File#getUsableSpace}) rather than through a
 * FileStore, which needs the mount table to list the data dir's mount and throws where it does
 * not (a chroot, for one). When the size cannot be had at all, the build goes ahead.
 */
final class FreeSpace {

    private static final Logger log = LoggerFactory.getLogger(FreeSpace.class);

    private final Path dataDir;
    private final DataSize minimum;
    private final AtomicBoolean warned = new AtomicBoolean();

    FreeSpace(Path dataDir, DataSize minimum) {
        this.dataDir = dataDir;
        this.minimum = minimum;
    }

    void check() {
        File dir = dataDir.toFile();
        // File reports 0 for both sizes when it cannot ask; a real filesystem has a total size
        if (dir.getTotalSpace() == 0) {
            if (!warned.getAndSet(true)) {
                log.warn("Cannot read the free space of the data dir {}; builds go ahead without the check", dataDir);
            }
            return;
        }
        long free = dir.getUsableSpace();
        if (free < minimum.toBytes()) {
            throw new InsufficientSpaceException("only " + BuildPictures.human(free) + " free in the data dir " + dataDir
                    + "; a build needs at least " + BuildPictures.human(minimum.toBytes())
                    + " — delete old builds or free space (studio.builds.min-free-space sets the threshold)");
        }
    }
}
