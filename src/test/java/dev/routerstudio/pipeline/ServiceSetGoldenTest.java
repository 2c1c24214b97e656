package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files of the generated service set and config per WAN mode: the s6-rc source
 * directories, the compiled boot plan and dependents lists, and every rendered /etc file.
 * A missing or different golden file fails the test. After an intended change, regenerate with
 * {@code mvn test -Dtest=ServiceSetGoldenTest -Dgolden.update=true} and review the diff by eye.
 */
class ServiceSetGoldenTest {

    @ParameterizedTest
    @MethodSource("dev.routerstudio.pipeline.TestProfiles#modes")
    void serviceSetMatchesGolden(String mode) throws Exception {
        String actual = render(TestProfiles.load(mode));
        Path golden = Path.of("src/test/resources/golden/services-" + mode + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file %s is missing; write it with -Dgolden.update=true and review it", golden).exists();
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    static String render(ProfileSpec spec) {
        ImageRecipe recipe = ImageRecipe.of(spec);
        Map<String, String> values = ProfileValues.of(spec, recipe.uplink());
        ServicesStage stage = new ServicesStage();
        ServiceSet set = stage.generate(recipe, values);
        RootfsLayout root = new RootfsLayout();
        stage.install(set, root);
        new EtcStage().run(spec, recipe, values, root);
        StringBuilder out = new StringBuilder();
        out.append("# recipe\npackages: ").append(String.join(" ", recipe.packages()))
                .append("\nkernel: ").append(String.join(" ", recipe.kernelFeatures()))
                .append("\nboot order: ").append(String.join(" ", set.bootOrder())).append("\n");
        for (Map.Entry<String, Map<String, byte[]>> s : set.sources().entrySet()) {
            for (Map.Entry<String, byte[]> f : s.getValue().entrySet()) {
                out.append("\n=== services/").append(s.getKey()).append('/').append(f.getKey()).append('\n')
                        .append(new String(f.getValue(), StandardCharsets.UTF_8));
            }
        }
        for (FsEntry e : root.entries()) {
            boolean generated = e.path().startsWith("/etc/") && !e.path().startsWith("/etc/s6/rc/bin/")
                    && !e.path().startsWith("/etc/s6/scandir/.s6-svscan/") && !e.path().equals("/etc/s6/rc/boot");
            if (!generated) {
                continue;
            }
            switch (e.kind()) {
                case FILE -> out.append("\n=== ").append(e.path()).append(" (").append(Integer.toOctalString(e.mode())).append(")\n")
                        .append(new String(e.content(), StandardCharsets.UTF_8));
                case SYMLINK -> out.append("\n=== ").append(e.path()).append(" -> ").append(e.linkTarget()).append('\n');
                default -> {
                }
            }
        }
        return out.toString();
    }
}
