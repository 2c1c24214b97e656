package dev.routerstudio.lab.web;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabSettings;
import dev.routerstudio.node.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import jakarta.servlet.MultipartConfigElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The lab service of this studio, with its limits from studio.labs.*; closed (every QEMU ended) with the context. */
@Configuration(proxyBeanMethods = false)
public class LabConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LabService.class);

    @Bean(destroyMethod = "close")
    LabService labService(StudioProperties studio, NodeProperties node,
                          @Value("${studio.builds.package-cache:}") String packageCache,
                          @Value("${studio.labs.max:2}") int maxLabs,
                          @Value("${studio.labs.idle-timeout:15m}") Duration idleTimeout,
                          @Value("${studio.labs.console-buffer:1MB}") DataSize consoleBuffer,
                          @Value("${studio.labs.capture-size:32MB}") DataSize captureSize) {
        if (captureSize.toBytes() < dev.routerstudio.lab.link.PcapCapture.MIN_LIMIT) {
            throw new IllegalStateException("studio.labs.capture-size is " + captureSize + "; a link capture needs at least "
                    + dev.routerstudio.lab.link.PcapCapture.MIN_LIMIT + " bytes (one full frame) — the default is 32MB");
        }
        Path cache = packageCache.isBlank() ? studio.dataDir().resolve("cache") : Path.of(packageCache).toAbsolutePath();
        LabSettings settings = LabSettings.defaults(studio.dataDir(), cache)
                // a web node runs no labs itself: they go to the workers (Labs)
                .withMaxLabs(node.role().runsLabs() ? maxLabs : 0)
                .withNode(node.name())
                .withIdleTimeout(idleTimeout)
                .withConsoleBufferChars((int) Math.min(Integer.MAX_VALUE, consoleBuffer.toBytes()))
                .withCaptureBytes(captureSize.toBytes());
        return new LabService(settings, log::info);
    }

    /** The uploaded peer VMs (DATA/peer-vms); what an upload cut off at a stop left half-written goes. */
    @Bean
    dev.routerstudio.lab.PeerVmStore peerVmStore(StudioProperties studio) {
        dev.routerstudio.lab.PeerVmStore store = new dev.routerstudio.lab.PeerVmStore(studio.dataDir().resolve("peer-vms"));
        store.removeIncomplete();
        return store;
    }

    /**
     * Multipart uploads go straight to files under the data dir (threshold 0: never held in
     * memory, never in /tmp), up to studio.labs.max-upload-size or studio.peers.max-size. Only POST
     * /api/v1/labs and a peer VM's upload may send that much: RequestSizeLimitFilter keeps every
     * other request at studio.max-request-size.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(StudioProperties studio,
                                                  @Value("${studio.labs.max-upload-size:256MB}") DataSize maxUpload,
                                                  @Value("${studio.peers.max-size:2GB}") DataSize maxPeer) {
        Path parts = studio.dataDir().resolve("uploads").toAbsolutePath();
        try {
            Files.createDirectories(parts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload folder " + parts + " — check studio.data-dir", e);
        }
        long max = Math.max(maxUpload.toBytes(), maxPeer.toBytes());
        return new MultipartConfigElement(parts.toString(), max, max + (1 << 20), 0);
    }
}
