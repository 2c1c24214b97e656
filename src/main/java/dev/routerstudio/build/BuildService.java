package dev.routerstudio.build;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.pipeline.BuildCancelledException;
import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.BuildResult;
import dev.routerstudio.pipeline.FirmwarePipeline;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.pipeline.ResolveStage;
import dev.routerstudio.pipeline.ToolRunner;
import dev.routerstudio.profile.Target;
import dev.routerstudio.profile.Profile;
import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.security.SecretBox;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The build queue: builds are rows in the database, run by a bounded pool of workers (one by
 * default on this 2-core machine). A build that was running when the studio stopped is marked
 * failed at start-up; queued ones are picked up again. Identical finished builds (same spec hash:
 * canonical spec with secrets, pipeline format and every resolved package version) are returned
 * instead of rebuilt.
 */
@Service
public class BuildService {

    private static final Logger log = LoggerFactory.getLogger(BuildService.class);

    /** Where a running build is: its stage and how much of it is done. */
    public record Progress(String stage, double fraction) {
    }

    /** What submit did: queued a new build, or found an identical finished one. */
    public record Submission(Build build, boolean cacheHit) {
    }

    private final BuildRepository builds;
    private final ProfileService profiles;
    private final TransactionTemplate tx;
    private final FirmwarePipeline pipeline;
    private final Path buildsDir;
    private final Path packageCache;
    private final BuildLog logs;
    private final ExecutorService workers;
    private final Map<Long, Progress> progress = new ConcurrentHashMap<>();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    private record Running(AtomicBoolean cancelled, Future<?> future) {
    }

    /** Limits that keep one user, or a burst, from filling the machine. */
    public record Limits(int maxQueuedPerUser, int maxQueued, int keepPerProfile, DataSize minFreeSpace) {
    }

    private final Limits limits;
    private final Path dataDir;
    private final SecretBox secrets;

    public BuildService(BuildRepository builds, ProfileService profiles, TransactionTemplate tx, StudioProperties studio,
                        @Value("${studio.builds.workers:1}") int workerCount,
                        @Value("${studio.builds.package-cache:}") String packageCache,
                        @Value("${studio.builds.max-queued-per-user:3}") int maxQueuedPerUser,
                        @Value("${studio.builds.max-queued:10}") int maxQueued,
                        @Value("${studio.builds.keep-per-profile:10}") int keepPerProfile,
                        @Value("${studio.builds.min-free-space:2GB}") DataSize minFreeSpace,
                        SecretBox secrets) {
        this.secrets = secrets;
        this.pipeline = new FirmwarePipeline(java.time.Duration.ofDays(7), secrets.derivedKey("spec-hash"));
        this.limits = new Limits(maxQueuedPerUser, maxQueued, keepPerProfile, minFreeSpace);
        this.dataDir = studio.dataDir();
        this.builds = builds;
        this.profiles = profiles;
        this.tx = tx;
        this.buildsDir = studio.dataDir().resolve("builds");
        this.packageCache = packageCache.isBlank() ? studio.dataDir().resolve("cache") : Path.of(packageCache).toAbsolutePath();
        this.logs = new BuildLog(buildsDir);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, workerCount), r -> {
            Thread t = new Thread(r, "build-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** After a restart: running builds were interrupted; queued ones run again, in order. */
    @EventListener(ApplicationReadyEvent.class)
    public void recover() {
        reapOrphans();
        for (Build b : builds.findByStatusOrderByIdAsc(BuildStatus.RUNNING)) {
            tx.executeWithoutResult(s -> {
                Build fresh = builds.findById(b.getId()).orElseThrow();
                fresh.fail("interrupted: the studio stopped while this build was running — build again to retry");
                builds.save(fresh);
            });
            deleteQuietly(workDir(b.getId()));
            deleteQuietly(artifactsDir(b.getId()));
            log.info("Build {} was interrupted by a restart and is marked failed", b.getId());
        }
        for (Build b : builds.findByStatusOrderByIdAsc(BuildStatus.QUEUED)) {
            enqueue(b.getId());
        }
    }

    /**
     * Queues a build of the profile's current version, or returns an identical finished build.
     * The check for an identical build resolves package versions (no download) when the package
     * lists are already cached; otherwise the build is queued and the worker resolves.
     */
    public Submission submit(String profileName, String user) {
        Profile profile = profiles.get(profileName);
        ProfileSpec spec = profiles.specWithSecrets(profileName);
        if (spec.wan().hasPassword() && spec.wanPassword() == null) {
            throw new BuildRefusedException("profile '" + profileName + "' has no WAN password yet (imports carry none) — set it, then build");
        }
        Optional<Build> identical = findIdentical(spec);
        if (identical.isPresent()) {
            return new Submission(identical.get(), true);
        }
        checkFreeSpace();
        Build build;
        synchronized (this) { // the count and the insert must not interleave with another submit
            checkQueue(user);
            build = tx.execute(s -> builds.save(new Build(profileName, profile.getVersion(), ProfileJson.write(spec.withoutSecrets()), user)));
        }
        enqueue(build.getId());
        return new Submission(build, false);
    }

    private static final List<BuildStatus> WAITING_OR_RUNNING = List.of(BuildStatus.QUEUED, BuildStatus.RUNNING);

    private void checkQueue(String user) {
        long all = builds.countByStatusIn(WAITING_OR_RUNNING);
        long mine = builds.countByRequestedByAndStatusIn(user, WAITING_OR_RUNNING);
        long retryAfter = 30 * Math.max(1, all);
        if (mine >= limits.maxQueuedPerUser()) {
            throw new BuildQueueFullException("you already have " + mine + " builds queued or running (the limit is "
                    + limits.maxQueuedPerUser() + "); this one would have been number " + (all + 1)
                    + " in the queue — wait for one to finish or cancel one", retryAfter);
        }
        if (all >= limits.maxQueued()) {
            throw new BuildQueueFullException("the build queue is full (" + all + " queued or running, the limit is "
                    + limits.maxQueued() + "); this build would have been number " + (all + 1) + " — try again later", retryAfter);
        }
    }

    private void checkFreeSpace() {
        try {
            Files.createDirectories(dataDir);
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < limits.minFreeSpace().toBytes()) {
                throw new InsufficientSpaceException("only " + BuildPictures.human(free) + " free in the data dir " + dataDir
                        + "; a build needs at least " + BuildPictures.human(limits.minFreeSpace().toBytes())
                        + " — delete old builds or free space (studio.builds.min-free-space sets the threshold)");
            }
        } catch (IOException e) {
            throw new InsufficientSpaceException("cannot check free space in " + dataDir + ": " + e.getMessage());
        }
    }

    /** Keeps a build past retention, or lets it go again. */
    public Build pin(long id, boolean pinned) {
        return tx.execute(s -> {
            Build b = get(id);
            b.setPinned(pinned);
            return builds.save(b);
        });
    }

    /**
     * Keeps the newest finished builds of a profile (studio.builds.keep-per-profile) and every
     * pinned one; older builds go with their artifacts and logs.
     */
    public void applyRetention(String profileName) {
        List<Build> finished = builds.findByProfileNameOrderByIdDesc(profileName).stream()
                .filter(b -> b.getStatus().finished()).toList();
        int kept = 0;
        for (Build b : finished) {
            if (kept < limits.keepPerProfile()) {
                kept++;
                continue;
            }
            if (b.isPinned() || isServedByOthers(b)) {
                continue;
            }
            tx.executeWithoutResult(s -> builds.deleteById(b.getId()));
            deleteQuietly(buildsDir.resolve(Long.toString(b.getId())));
            log.info("Retention: removed build {} of {}", b.getId(), profileName);
        }
    }

    private boolean isServedByOthers(Build b) {
        return builds.existsByArtifactsBuildAndIdNot(b.getId(), b.getId());
    }

    private Optional<Build> findIdentical(ProfileSpec spec) {
        if (!ResolveStage.hasLists(packageCache, Target.MALTA_MIPSEL.debianArch())) {
            return Optional.empty();
        }
        try {
            BuildContext ctx = BuildContext.of(buildsDir.resolve("hash-check"), packageCache, line -> { }, (stage, f) -> { });
            String hash = pipeline.specHash(spec, ctx);
            return builds.findFirstBySpecHashAndStatusAndArtifactsBuildIsNotNullOrderByIdDesc(hash, BuildStatus.SUCCEEDED)
                    .filter(b -> Files.isDirectory(artifactsDir(b.getArtifactsBuild())));
        } catch (PipelineException e) {
            return Optional.empty(); // the worker will fail the build with the same message, in its log
        }
    }

    public Build get(long id) {
        return builds.findById(id).orElseThrow(() -> new BuildNotFoundException(id));
    }

    public List<Build> forProfile(String profileName) {
        return builds.findByProfileNameOrderByIdDesc(profileName);
    }

    public List<Build> recent() {
        return builds.findTop20ByOrderByIdDesc();
    }

    /** 1 for the next build to start, 0 when not queued. */
    public long queuePosition(Build build) {
        return build.getStatus() == BuildStatus.QUEUED ? builds.countQueuedBefore(build.getId()) + 1 : 0;
    }

    public Optional<Progress> progress(long id) {
        return Optional.ofNullable(progress.get(id));
    }

    /** The WAN password the build's firmware was made with, for the lab's ISP peer. */
    public String builtPassword(Build build) {
        return secrets.open(build.getSealedPassword());
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
        Path file = artifactsDir(build.getArtifactsBuild()).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public String logText(long id) {
        get(id);
        return logs.text(id);
    }

    public SseEmitter followLog(long id, long lastEventId) {
        get(id);
        return logs.follow(id, lastEventId);
    }

    /** Cancels a queued or running build; a finished build is left as it is. */
    public Build cancel(long id) {
        Build build = tx.execute(s -> {
            Build b = get(id);
            if (b.getStatus() == BuildStatus.QUEUED) {
                b.cancel();
                builds.save(b);
            }
            return b;
        });
        Running r = running.get(id);
        if (r != null) {
            r.cancelled().set(true);
            r.future().cancel(true);
        }
        return build;
    }

    /**
     * Ends build tools left running by a studio that was killed (SIGKILL leaves its children
     * behind). Only processes marked with this data dir's build folder are touched.
     */
    void reapOrphans() {
        String marker = ToolRunner.OWNER_VARIABLE + "=" + buildsDir.toAbsolutePath() + "/";
        try (var procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                long pid = Long.parseLong(n);
                try {
                    String environ = Files.readString(Path.of("/proc", n, "environ"), StandardCharsets.ISO_8859_1);
                    if (pid != ProcessHandle.current().pid() && ("\0" + environ).contains("\0" + marker)) {
                        ProcessHandle.of(pid).ifPresent(h -> {
                            log.warn("Ending build tool {} ({}) left by an earlier studio", pid, h.info().command().orElse("?"));
                            h.destroyForcibly();
                        });
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            });
        } catch (IOException e) {
            log.warn("Cannot scan /proc for orphaned build tools: {}", e.getMessage());
        }
    }

    private void enqueue(long id) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<?> future = workers.submit(() -> run(id, cancelled));
        running.put(id, new Running(cancelled, future));
    }

    private void run(long id, AtomicBoolean cancelled) {
        try {
            Build build = tx.execute(s -> {
                Build b = builds.findById(id).orElse(null);
                if (b == null || b.getStatus() != BuildStatus.QUEUED) {
                    return null;
                }
                b.start();
                return builds.save(b);
            });
            if (build == null) {
                return;
            }
            execute(build, cancelled);
        } finally {
            running.remove(id);
            progress.remove(id);
        }
    }

    private void execute(Build build, AtomicBoolean cancelled) {
        long id = build.getId();
        ProfileSpec spec;
        try {
            spec = withCurrentPassword(build);
        } catch (RuntimeException e) {
            finish(id, b -> b.fail(e.getMessage()));
            return;
        }
        String sealed = secrets.seal(spec.wanPassword());
        finish(id, b -> b.setSealedPassword(sealed));
        logs.open(id, spec.wanPassword() == null ? List.of() : List.of(spec.wanPassword()));
        Path work = workDir(id);
        try {
            logs.append(id, "build " + id + " of profile " + build.getProfileName() + " version " + build.getProfileVersion());
            BuildContext ctx = new BuildContext(work, packageCache, line -> logs.append(id, line),
                    (stage, fraction) -> onProgress(id, stage, fraction), cancelled);
            BuildResult result = pipeline.build(spec, ctx);
            Path artifacts = artifactsDir(id);
            deleteQuietly(artifacts);
            Files.createDirectories(artifacts.getParent());
            Files.move(ctx.artifactsDir(), artifacts, StandardCopyOption.ATOMIC_MOVE);
            String report = BuildReport.of(result).toJson();
            finish(id, b -> b.succeed(result.specHash(), report, id));
            logs.append(id, "succeeded in " + result.elapsedMillis() + " ms; spec hash " + result.specHash());
        } catch (BuildCancelledException e) {
            logs.append(id, "cancelled");
            finish(id, Build::cancel);
        } catch (PipelineException e) {
            logs.append(id, "FAILED: " + e.getMessage());
            finish(id, b -> b.fail(e.getMessage()));
        } catch (Exception e) {
            log.error("Build {} failed unexpectedly", id, e);
            String reason = cancelled.get() ? null : "internal error: " + e;
            logs.append(id, reason == null ? "cancelled" : "FAILED: " + reason);
            finish(id, b -> {
                if (reason == null) {
                    b.cancel();
                } else {
                    b.fail(reason);
                }
            });
        } finally {
            deleteQuietly(work);
            logs.close(id);
            applyRetention(build.getProfileName());
        }
    }

    private ProfileSpec withCurrentPassword(Build build) {
        ProfileSpec snapshot = ProfileJson.read(build.getSpecJson());
        if (!profiles.exists(build.getProfileName())) {
            throw new IllegalStateException("profile '" + build.getProfileName() + "' was deleted before the build started");
        }
        String password = profiles.specWithSecrets(build.getProfileName()).wanPassword();
        return password == null ? snapshot : snapshot.withWan(snapshot.wan().withPassword(password));
    }

    private void onProgress(long id, String stage, double fraction) {
        Progress before = progress.put(id, new Progress(stage, fraction));
        if (before == null || !before.stage().equals(stage)) {
            tx.executeWithoutResult(s -> builds.findById(id).ifPresent(b -> {
                b.setStage(stage);
                builds.save(b);
            }));
        }
    }

    private void finish(long id, java.util.function.Consumer<Build> change) {
        tx.executeWithoutResult(s -> builds.findById(id).ifPresent(b -> {
            change.accept(b);
            builds.save(b);
        }));
    }

    Path workDir(long id) {
        return buildsDir.resolve(Long.toString(id)).resolve("work");
    }

    Path artifactsDir(long id) {
        return buildsDir.resolve(Long.toString(id)).resolve("artifacts");
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running.values().forEach(r -> r.cancelled().set(true));
        workers.shutdownNow();
        workers.awaitTermination(20, TimeUnit.SECONDS);
    }
}
