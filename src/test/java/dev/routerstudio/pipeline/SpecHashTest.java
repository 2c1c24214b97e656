package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The spec hash is shown everywhere; keyed, it must not let anyone test password guesses offline. */
class SpecHashTest {

    static final byte[] KEY = "a studio's own key, 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theKeyedHashStillSeparatesPasswordsButCannotBeRecomputedWithoutTheKey() {
        ProfileSpec spec = TestProfiles.load("pppoe");
        ProfileSpec other = spec.withWan(spec.wan().withPassword("another password"));
        List<ResolvedPackage> none = List.of();
        String keyed = SpecHash.of(spec, none, KEY);
        assertThat(keyed).hasSize(64).isEqualTo(SpecHash.of(spec, none, KEY));
        assertThat(SpecHash.of(other, none, KEY)).isNotEqualTo(keyed);
        // a guess tried without the key (the plain hash of the right password) does not match
        assertThat(SpecHash.of(spec, none)).isNotEqualTo(keyed);
        assertThat(SpecHash.of(spec, none, "another key of the studio......".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(keyed);
    }

    @Test
    void theTargetSideSourcesAreInTheHash() throws Exception {
        String digest = SpecHash.sourcesDigest();
        assertThat(digest).hasSize(64)
                .isNotEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest()));
        // the templates the services stage reads are among them: reading one by hand gives the same bytes
        assertThat(PipelineResources.exists("image-pipeline/runtime/bin/defaultroute")).isTrue();
    }
}
