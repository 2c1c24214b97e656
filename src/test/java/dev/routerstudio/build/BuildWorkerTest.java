package dev.routerstudio.build;

import dev.routerstudio.pipeline.BuildCancelledException;
import dev.routerstudio.pipeline.PipelineException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;

import static org.assertj.core.api.Assertions.assertThat;

/** How a build that threw ends: failed with the stage's words, or cancelled. */
class BuildWorkerTest {

    @Test
    void aStageFailingUnderACancelIsACancel() {
        // what the prune stage said when the cancel interrupted its read (WorkersTest saw it as FAILED)
        PipelineException interrupted = new PipelineException("prune: cannot read a file from the package cache: null");
        assertThat(BuildWorker.failure(interrupted, true)).isNull();
        assertThat(BuildWorker.failure(new UncheckedIOException(new ClosedByInterruptException()), true)).isNull();
        assertThat(BuildWorker.failure(new BuildCancelledException(), false)).isNull();
    }

    @Test
    void withoutACancelTheStageSaysWhy() {
        assertThat(BuildWorker.failure(new PipelineException("resolve: no package named foo"), false)).isEqualTo("resolve: no package named foo");
        assertThat(BuildWorker.failure(new IllegalStateException("boom"), false)).isEqualTo("internal error: java.lang.IllegalStateException: boom");
    }
}
