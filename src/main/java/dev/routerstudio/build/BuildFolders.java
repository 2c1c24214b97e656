package dev.routerstudio.build;

import dev.routerstudio.StudioProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where builds live: DATA/builds/ID holds a build's log, its work dir while it runs and its
 * artifacts after; the package cache (apt lists and archives) is shared by every build.
 */
@Component
class BuildFolders {

    private static final Logger log = LoggerFactory.getLogger(BuildFolders.class);

    private final Path buildsDir;
    private final Path packageCache;

    BuildFolders(StudioProperties studio, @Value("${studio.builds.package-cache:}") String packageCache) {
        this.buildsDir = studio.dataDir().resolve("builds");
        this.packageCache = packageCache.isBlank() ? studio.dataDir().resolve("cache") : Path.of(packageCache).toAbsolutePath();
    }

    Path buildsDir() {
        return buildsDir;
    }

    Path packageCache() {
        return packageCache;
    }

    Path dir(long id) {
        return buildsDir.resolve(Long.toString(id));
    }

    Path workDir(long id) {
        return dir(id).resolve("work");
    }

    Path artifactsDir(long id) {
        return dir(id).resolve("artifacts");
    }

    static void deleteQuietly(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
