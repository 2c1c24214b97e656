package dev.routerstudio.build;

import dev.routerstudio.profile.Profile;
import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Builds as the API and the pages see them: submit one (admitted, or answered by an identical
 * finished build), look them up, follow their logs, fetch what they made, cancel them.
 */
@Service
public class BuildService {

    /** What submit did: queued a new build, or found an identical finished one. */
    public record Submission(Build build, boolean cacheHit) {
    }

    private final BuildRepository builds;
    private final ProfileService profiles;
    private final TransactionTemplate tx;
    private final BuildAdmission admission;
    private final IdenticalBuilds identical;
    private final BuildQueue queue;
    private final BuildPasswords passwords;
    private final BuildFolders folders;
    private final BuildLog logs;

    BuildService(BuildRepository builds, ProfileService profiles, TransactionTemplate tx, BuildAdmission admission,
                 IdenticalBuilds identical, BuildQueue queue, BuildPasswords passwords, BuildFolders folders, BuildLog logs) {
        this.builds = builds;
        this.profiles = profiles;
        this.tx = tx;
        this.admission = admission;
        this.identical = identical;
        this.queue = queue;
        this.passwords = passwords;
        this.folders = folders;
        this.logs = logs;
    }

    /**
     * Queues a build of the profile's current version, or returns an identical finished build.
     * The check for an identical build resolves package versions (no download) when the package
     * lists are already cached; otherwise the build is queued and the worker resolves.
     */
    public Submission submit(String profileName, String user) {
        Profile profile = profiles.get(profileName);
        ProfileSpec spec = profiles.specWithSecrets(profileName);
        admission.checkBuildable(profileName, spec);
        Optional<Build> same = identical.find(spec);
        if (same.isPresent()) {
            return new Submission(same.get(), true);
        }
        admission.checkSpace();
        Build build = admission.admit(user, new Build(profileName, profile.getVersion(), ProfileJson.write(spec.withoutSecrets()), user));
        queue.nudge();
        return new Submission(build, false);
    }

    public Build get(long id) {
        return builds.findById(id).orElseThrow(() -> new BuildNotFoundException(id));
    }

    public List<Build> forProfile(String profileName) {
        return builds.findByProfileNameOrderByIdDesc(profileName);
    }

    /** The newest succeeded builds (at most 20), newest first: what a lab's router can be upgraded to. */
    public List<Build> recentSucceeded() {
        return builds.findTop20ByStatusOrderByIdDesc(BuildStatus.SUCCEEDED);
    }

    /** 1 for the next build to start, 0 when not queued. */
    public long queuePosition(Build build) {
        return build.getStatus() == BuildStatus.QUEUED ? builds.countQueuedBefore(build.getId()) + 1 : 0;
    }

    Optional<BuildQueue.Progress> progress(long id) {
        return queue.progress(id);
    }

    public BuildReport report(Build build) {
        return BuildReport.fromJson(build.getResultJson());
    }

    /** An artifact of a succeeded build, or empty: half-written or failed builds serve nothing. */
    public Optional<Path> artifact(Build build, String name) {
        if (build.getStatus() != BuildStatus.SUCCEEDED || build.getArtifactsBuild() == null) {
            return Optional.empty();
        }
        BuildReport report = report(build);
        if (report == null || report.artifact(name) == null) {
            return Optional.empty();
        }
        Path file = folders.artifactsDir(build.getArtifactsBuild()).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public String logText(long id) {
        get(id);
        return logs.text(id);
    }

    public SseEmitter followLog(long id, long lastEventId) {
        get(id);
        return logs.follow(id, lastEventId, () -> !queue.runsHere(id) && builds.findById(id)
                .map(b -> b.getStatus() == BuildStatus.RUNNING || b.getStatus() == BuildStatus.QUEUED).orElse(false));
    }

    /**
     * Cancels a queued build at once; a running one is asked to stop, here or on the worker
     * running it (at its next heartbeat). A finished build is left as it is.
     */
    public Build cancel(long id) {
        Build build = tx.execute(s -> {
            Build b = get(id);
            if (b.getStatus() == BuildStatus.QUEUED) {
                b.cancel();
                builds.save(b);
            } else if (b.getStatus() == BuildStatus.RUNNING) {
                b.requestCancel();
                builds.save(b);
            }
            return b;
        });
        queue.cancel(id);
        return build;
    }
}
