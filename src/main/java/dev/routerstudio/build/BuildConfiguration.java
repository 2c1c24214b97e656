package dev.routerstudio.build;

import dev.routerstudio.pipeline.FirmwarePipeline;
import dev.routerstudio.pipeline.MinisignKey;
import dev.routerstudio.security.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The pipeline and the build logs, one of each, shared by the classes that queue, run and look up builds. */
@Configuration(proxyBeanMethods = false)
class BuildConfiguration {

    /**
     * Spec hashes are keyed, so the identical-build lookup and the worker must use this one pipeline;
     * it signs every firmware.tar with the studio's signing key.
     */
    @Bean
    FirmwarePipeline firmwarePipeline(SecretBox secrets, MinisignKey studioSigningKey) {
        return new FirmwarePipeline(Duration.ofDays(7), secrets.derivedKey("spec-hash"), studioSigningKey);
    }

    @Bean
    BuildLog buildLog(BuildFolders folders) {
        return new BuildLog(folders.buildsDir());
    }
}
