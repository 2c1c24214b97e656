package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {

    @Test
    void runsTheStepsInOrderAndReportsEachOneStartedAndDone(@TempDir Path dir) {
        List<String> events = new ArrayList<>();
        BuildContext ctx = BuildContext.of(dir, dir, line -> events.add("log " + line.replaceAll(" \\(.*", "")),
                (stage, fraction) -> events.add(stage + " " + fraction));
        List<String> work = new ArrayList<>();
        Plan<List<String>> plan = Plan.of(new Step<>("first", (c, w) -> w.add("a")), new Step<>("second", (c, w) -> w.add("b")));

        plan.run(ctx, work);

        assertThat(plan.names()).containsExactly("first", "second");
        assertThat(work).containsExactly("a", "b");
        assertThat(events).containsExactly("log == first", "first 0.0", "first 1.0", "log == second", "second 0.0", "second 1.0");
    }

    @Test
    void aCancelledBuildStopsBeforeTheNextStep(@TempDir Path dir) {
        BuildContext ctx = BuildContext.of(dir, dir, line -> { }, (stage, fraction) -> { });
        List<String> ran = new ArrayList<>();
        Plan<List<String>> plan = Plan.of(
                new Step<>("first", (c, w) -> {
                    w.add("first");
                    c.cancelled().set(true);
                }),
                new Step<>("second", (c, w) -> w.add("second")));

        assertThatThrownBy(() -> plan.run(ctx, ran)).isInstanceOf(BuildCancelledException.class);
        assertThat(ran).containsExactly("first");
    }

    @Test
    void theFirmwareStagesAreItsPlansSteps() {
        assertThat(FirmwarePipeline.STAGES).containsExactly("resolve", "unpack", "prune", "services", "etc", "kernel",
                "rootfs", "initramfs", "bundle");
    }
}
