package dev.routerstudio.pipeline;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What a build runs in: its own work dir (artifacts land in workDir/artifacts), the package
 * cache shared by all builds (apt lists and archives, unpacked packages), a sink for log lines,
 * a progress listener and a cancel flag. Cancelling (flag or interrupting the build thread)
 * stops the build between steps and destroys any running child process.
 */
public record BuildContext(Path workDir, Path packageCacheDir, Consumer<String> log, ProgressListener progress,
                           AtomicBoolean cancelled) {

    /** Receives the stage name and the fraction of that stage done (0..1). */
    @FunctionalInterface
    public interface ProgressListener {
        void stage(String stage, double fraction);
    }

    public static BuildContext of(Path workDir, Path packageCacheDir, Consumer<String> log, ProgressListener progress) {
        return new BuildContext(workDir, packageCacheDir, log, progress, new AtomicBoolean());
    }

    public void checkCancelled() {
        if (cancelled.get() || Thread.currentThread().isInterrupted()) {
            throw new BuildCancelledException();
        }
    }

    public void log(String line) {
        log.accept(line);
    }

    public Path artifactsDir() {
        return workDir.resolve("artifacts");
    }
}
