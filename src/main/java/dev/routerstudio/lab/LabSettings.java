package dev.routerstudio.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * dataDir: labs live in dataDir/labs/ID (sockets, QEMU TMPDIR, config disks), peer images in
 * dataDir/peer-images. packageCacheDir: the pipeline's package cache (shared with builds).
 */
public record LabSettings(Path dataDir, Path packageCacheDir, int maxLabs, Duration idleTimeout, int consoleBufferChars,
                          Duration bootTimeout) {

    public static LabSettings defaults(Path dataDir, Path packageCacheDir) {
        return new LabSettings(dataDir, packageCacheDir, 2, Duration.ofMinutes(15), 1 << 20, Duration.ofSeconds(30));
    }

    public LabSettings withMaxLabs(int n) {
        return new LabSettings(dataDir, packageCacheDir, n, idleTimeout, consoleBufferChars, bootTimeout);
    }

    public LabSettings withIdleTimeout(Duration d) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, d, consoleBufferChars, bootTimeout);
    }

    public LabSettings withConsoleBufferChars(int n) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, n, bootTimeout);
    }
}
