package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The example profiles under src/test/resources/profiles/, one per WAN mode. */
final class TestProfiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestProfiles() {
    }

    static ProfileSpec load(String mode) {
        try (InputStream in = TestProfiles.class.getResourceAsStream("/profiles/" + mode + ".json")) {
            return JSON.readValue(in, ProfileSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
