package dev.routerstudio.security;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.pipeline.MinisignKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signing key: made once in the data dir and kept, or taken from STUDIO_SIGNING_KEY without touching the dir. */
class SigningKeyConfigurationTest {

    final SigningKeyConfiguration config = new SigningKeyConfiguration();

    @Test
    void madeAtFirstStartAndTheSameAfterARestart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "signing-key");
        MinisignKey first = config.studioSigningKey(new StudioProperties(dir), "");
        assertThat(Files.exists(dir.resolve("signing.key"))).isTrue();
        assertThat(config.studioSigningKey(new StudioProperties(dir), "").publicKey()).isEqualTo(first.publicKey());
    }

    @Test
    void theEnvironmentWinsAndAWrongLengthIsRefused() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "signing-key");
        byte[] seed = "a signing key of 32 bytes.......".getBytes(StandardCharsets.US_ASCII);
        MinisignKey given = config.studioSigningKey(new StudioProperties(dir), Base64.getEncoder().encodeToString(seed));
        assertThat(given.publicKey()).isEqualTo(MinisignKey.fromSeed(seed).publicKey());
        assertThat(Files.exists(dir.resolve("signing.key"))).isFalse();
        assertThatThrownBy(() -> config.studioSigningKey(new StudioProperties(dir), "c2hvcnQ="))
                .hasMessageContaining("studio.signing-key must be 32 bytes");
    }
}
