package dev.routerstudio.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * dataDir: labs live in dataDir/labs/ID (sockets, QEMU TMPDIR, config disks), peer images in
 * dataDir/peer-images. packageCacheDir: the pipeline's package cache (shared with builds).
 * captureBytes: the bound of each link's packet capture (pcap file size; the oldest frames go).
 */
public record LabSettings(Path dataDir, Path packageCacheDir, int maxLabs, Duration idleTimeout, int consoleBufferChars,
                          Duration bootTimeout, long captureBytes) {

    public static final long DEFAULT_CAPTURE_BYTES = 32L << 20;

    public static LabSettings defaults(Path dataDir, Path packageCacheDir) {
        return new LabSettings(dataDir, packageCacheDir, 2, Duration.ofMinutes(15), 1 << 20, Duration.ofSeconds(30), DEFAULT_CAPTURE_BYTES);
    }

    public LabSettings withCaptureBytes(long n) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, consoleBufferChars, bootTimeout, n);
    }

    public LabSettings withMaxLabs(int n) {
        return new LabSettings(dataDir, packageCacheDir, n, idleTimeout, consoleBufferChars, bootTimeout, captureBytes);
    }

    public LabSettings withIdleTimeout(Duration d) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, d, consoleBufferChars, bootTimeout, captureBytes);
    }

    public LabSettings withConsoleBufferChars(int n) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, n, bootTimeout, captureBytes);
    }
}
