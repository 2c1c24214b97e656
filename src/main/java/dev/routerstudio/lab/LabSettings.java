package dev.routerstudio.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * dataDir: labs live in dataDir/labs/ID (sockets, QEMU TMPDIR, config disks) — dataDir/labs/NODE/ID
 * when node is set, so nodes sharing one data dir never clean up each other's labs — and peer
 * images in dataDir/peer-images. packageCacheDir: the pipeline's package cache (shared with builds).
 * captureBytes: the bound of each link's packet capture (pcap file size; the oldest frames go).
 * node: the name of the studio node that runs these labs (shown as a lab's worker), or null.
 */
public record LabSettings(Path dataDir, Path packageCacheDir, int maxLabs, Duration idleTimeout, int consoleBufferChars,
                          Duration bootTimeout, long captureBytes, String node) {

    public static final long DEFAULT_CAPTURE_BYTES = 32L << 20;

    public static LabSettings defaults(Path dataDir, Path packageCacheDir) {
        return new LabSettings(dataDir, packageCacheDir, 2, Duration.ofMinutes(15), 1 << 20, Duration.ofSeconds(30), DEFAULT_CAPTURE_BYTES, null);
    }

    public LabSettings withCaptureBytes(long n) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, consoleBufferChars, bootTimeout, n, node);
    }

    public LabSettings withMaxLabs(int n) {
        return new LabSettings(dataDir, packageCacheDir, n, idleTimeout, consoleBufferChars, bootTimeout, captureBytes, node);
    }

    public LabSettings withIdleTimeout(Duration d) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, d, consoleBufferChars, bootTimeout, captureBytes, node);
    }

    public LabSettings withConsoleBufferChars(int n) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, n, bootTimeout, captureBytes, node);
    }

    public LabSettings withNode(String name) {
        return new LabSettings(dataDir, packageCacheDir, maxLabs, idleTimeout, consoleBufferChars, bootTimeout, captureBytes, name);
    }

    /** Where this node's labs live. */
    public Path labsDir() {
        Path labs = dataDir.resolve("labs");
        return (node == null ? labs : labs.resolve(node)).toAbsolutePath();
    }
}
