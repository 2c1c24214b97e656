package dev.routerstudio.security;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.pipeline.MinisignKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The studio's Ed25519 key that signs every firmware.tar: a 32-byte seed from STUDIO_SIGNING_KEY
 * (base64), or signing.key in the data dir, created 0600 at first start like secret.key.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeyConfiguration {

    @Bean
    MinisignKey studioSigningKey(StudioProperties studio, @Value("${studio.signing-key:}") String configuredKey) {
        return MinisignKey.fromSeed(KeyFile.of(configuredKey, studio.dataDir().resolve("signing.key"), "studio.signing-key"));
    }
}
