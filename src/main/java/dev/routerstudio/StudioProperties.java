package dev.routerstudio;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Settings of the studio itself.
 *
 * @param dataDir where everything the studio keeps lives: database, package cache, builds,
 *                labs and scratch space (env STUDIO_DATA_DIR, default ./data)
 */
@ConfigurationProperties("studio")
public record StudioProperties(Path dataDir) {

    public StudioProperties {
        dataDir = (dataDir == null ? Path.of("data") : dataDir).toAbsolutePath().normalize();
    }
}
