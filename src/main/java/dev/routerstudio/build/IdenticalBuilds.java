package dev.routerstudio.build;

import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.FirmwarePipeline;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.pipeline.ResolveStage;
import dev.routerstudio.pipeline.TargetSpec;
import dev.routerstudio.profile.ProfileSpec;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.util.Optional;

/**
 * Finds a finished build identical to the one asked for (same spec hash: canonical spec with
 * secrets, pipeline format and every resolved package version), so it is returned instead of
 * rebuilt. Resolving versions downloads nothing, but needs apt's lists: without them there is
 * no answer and the build is queued.
 */
@Component
class IdenticalBuilds {

    private final BuildRepository builds;
    private final FirmwarePipeline pipeline;
    private final BuildFolders folders;

    IdenticalBuilds(BuildRepository builds, FirmwarePipeline pipeline, BuildFolders folders) {
        this.builds = builds;
        this.pipeline = pipeline;
        this.folders = folders;
    }

    Optional<Build> find(ProfileSpec spec) {
        if (!ResolveStage.hasLists(folders.packageCache(), TargetSpec.load(spec.target()).arch())) {
            return Optional.empty();
        }
        try {
            BuildContext ctx = BuildContext.of(folders.buildsDir().resolve("hash-check"), folders.packageCache(), line -> { }, (stage, f) -> { });
            String hash = pipeline.specHash(spec, ctx);
            return builds.findFirstBySpecHashAndStatusAndArtifactsBuildIsNotNullOrderByIdDesc(hash, BuildStatus.SUCCEEDED)
                    .filter(b -> Files.isDirectory(folders.artifactsDir(b.getArtifactsBuild())));
        } catch (PipelineException e) {
            return Optional.empty(); // the worker will fail the build with the same message, in its log
        }
    }
}
