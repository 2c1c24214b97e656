package dev.routerstudio.lab.web;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/** The lab service of this studio, with its limits from studio.labs.*; closed (every QEMU ended) with the context. */
@Configuration(proxyBeanMethods = false)
public class LabConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LabService.class);

    @Bean(destroyMethod = "close")
    LabService labService(StudioProperties studio,
                          @Value("${studio.builds.package-cache:}") String packageCache,
                          @Value("${studio.labs.max:2}") int maxLabs,
                          @Value("${studio.labs.idle-timeout:15m}") Duration idleTimeout,
                          @Value("${studio.labs.console-buffer:1MB}") DataSize consoleBuffer) {
        Path cache = packageCache.isBlank() ? studio.dataDir().resolve("cache") : Path.of(packageCache).toAbsolutePath();
        LabSettings settings = LabSettings.defaults(studio.dataDir(), cache)
                .withMaxLabs(maxLabs)
                .withIdleTimeout(idleTimeout)
                .withConsoleBufferChars((int) Math.min(Integer.MAX_VALUE, consoleBuffer.toBytes()));
        return new LabService(settings, log::info);
    }
}
