package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The example profiles under src/test/resources/profiles/, one per WAN mode. */
public final class TestProfiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestProfiles() {
    }

    /** Every WAN mode the studio knows: a new mode needs its example profile here (and its golden file). */
    static java.util.List<String> modes() {
        return dev.routerstudio.profile.WanModes.all().stream().map(dev.routerstudio.profile.WanModes.Mode::id).toList();
    }

    public static ProfileSpec load(String mode) {
        try (InputStream in = TestProfiles.class.getResourceAsStream("/profiles/" + mode + ".json")) {
            if (in == null) {
                throw new IllegalStateException("WAN mode " + mode + " has no example profile src/test/resources/profiles/" + mode + ".json");
            }
            return JSON.readValue(in, ProfileSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
