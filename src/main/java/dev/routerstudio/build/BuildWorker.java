package dev.routerstudio.build;

import dev.routerstudio.node.NodeProperties;
import dev.routerstudio.pipeline.BuildCancelledException;
import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.BuildResult;
import dev.routerstudio.pipeline.FirmwarePipeline;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.profile.ProfileSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one build this node claimed, on a worker thread: runs the pipeline with the build's
 * log, progress and cancel flag, moves the artifacts into place, records how it ended and then
 * applies the profile's retention.
 */
@Component
class BuildWorker {

    private static final Logger log = LoggerFactory.getLogger(BuildWorker.class);

    private final BuildRepository builds;
    private final TransactionTemplate tx;
    private final FirmwarePipeline pipeline;
    private final BuildFolders folders;
    private final BuildLog logs;
    private final BuildPasswords passwords;
    private final BuildRetention retention;
    private final String node;

    BuildWorker(BuildRepository builds, TransactionTemplate tx, FirmwarePipeline pipeline, BuildFolders folders,
                BuildLog logs, BuildPasswords passwords, BuildRetention retention, NodeProperties node) {
        this.node = node.name();
        this.builds = builds;
        this.tx = tx;
        this.pipeline = pipeline;
        this.folders = folders;
        this.logs = logs;
        this.passwords = passwords;
        this.retention = retention;
    }

    /** Runs a build this node has claimed (BuildQueue); live hears its progress. */
    void run(long id, AtomicBoolean cancelled, BuildContext.ProgressListener live) {
        builds.findById(id).filter(this::mine).ifPresent(b -> execute(b, cancelled, live));
    }

    /** Running here: claimed by this node and not taken over since (a worker that stalled may have lost it). */
    private boolean mine(Build b) {
        return b.getStatus() == BuildStatus.RUNNING && node.equals(b.getWorker());
    }

    private void execute(Build build, AtomicBoolean cancelled, BuildContext.ProgressListener live) {
        long id = build.getId();
        ProfileSpec spec;
        try {
            spec = passwords.specToBuild(build);
        } catch (RuntimeException e) {
            finish(id, b -> b.fail(e.getMessage()));
            return;
        }
        logs.open(id, spec.wanPassword() == null ? List.of() : List.of(spec.wanPassword()));
        Path work = folders.workDir(id);
        Consumer<Build> outcome;
        try {
            logs.append(id, "build " + id + " of profile " + build.getProfileName() + " version " + build.getProfileVersion());
            BuildContext ctx = new BuildContext(work, folders.packageCache(), line -> logs.append(id, line),
                    recordingStage(id, live), cancelled);
            BuildResult result = pipeline.build(spec, ctx);
            Path artifacts = folders.artifactsDir(id);
            BuildFolders.deleteQuietly(artifacts);
            Files.createDirectories(artifacts.getParent());
            Files.move(ctx.artifactsDir(), artifacts, StandardCopyOption.ATOMIC_MOVE);
            String report = BuildReport.of(result).toJson();
            outcome = b -> b.succeed(result.specHash(), report, id);
            logs.append(id, "succeeded in " + result.elapsedMillis() + " ms; spec hash " + result.specHash());
        } catch (Exception e) {
            if (!(e instanceof PipelineException) && !(e instanceof BuildCancelledException)) {
                log.error("Build {} failed unexpectedly", id, e);
            }
            String reason = failure(e, cancelled.get());
            logs.append(id, reason == null ? "cancelled" : "FAILED: " + reason);
            outcome = reason == null ? Build::cancel : b -> b.fail(reason);
        } finally {
            // The work folder goes before the ending is recorded: whoever sees the ending sees it gone.
            BuildFolders.deleteQuietly(work);
        }
        finish(id, outcome);
        logs.close(id);
        retention.apply(build.getProfileName());
    }

    /**
     * Why a build that threw failed, or null when it was cancelled: once the cancel flag is up, a
     * stage whose file or process the cancel interrupted ("cannot read a file from the package
     * cache: null") was cancelled too, whatever it said.
     */
    static String failure(Exception e, boolean cancelled) {
        if (cancelled || e instanceof BuildCancelledException) {
            return null;
        }
        return e instanceof PipelineException ? e.getMessage() : "internal error: " + e;
    }

    /** Passes progress on, and writes the stage to the build's row whenever it changes. */
    private BuildContext.ProgressListener recordingStage(long id, BuildContext.ProgressListener live) {
        AtomicReference<String> current = new AtomicReference<>();
        return (stage, fraction) -> {
            live.stage(stage, fraction);
            if (!stage.equals(current.getAndSet(stage))) {
                finish(id, b -> b.setStage(stage));
            }
        };
    }

    private void finish(long id, Consumer<Build> change) {
        tx.executeWithoutResult(s -> builds.findById(id).filter(this::mine).ifPresent(b -> {
            change.accept(b);
            builds.save(b);
        }));
    }
}
