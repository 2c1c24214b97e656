package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ToolRunnerTest {

    @TempDir
    Path work;

    @Test
    void cancellingKillsTheRunningToolAndItsChildren() throws Exception {
        List<String> log = new ArrayList<>();
        BuildContext ctx = BuildContext.of(work, work, log::add, (s, f) -> { });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                ToolRunner.run(ctx, null, null, true, List.of("sh", "-c", "echo started; sleep 30 & wait"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(500);
        ctx.cancelled().set(true);
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(BuildCancelledException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(log).contains("started");
        // no "sleep 30" child of ours survives
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("sleep 30")).count())
                .isZero();
    }

    @Test
    void interruptingTheBuildThreadCancelsToo() throws Exception {
        BuildContext ctx = BuildContext.of(work, work, l -> { }, (s, f) -> { });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ToolRunner.run(ctx, null, null, false, List.of("sleep", "30"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join(5000);
        assertThat(thrown.get()).isInstanceOf(BuildCancelledException.class);
    }
}
