package dev.routerstudio.lab.web;

import dev.routerstudio.build.Build;
import dev.routerstudio.build.BuildService;
import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.CheckResult;
import dev.routerstudio.lab.CheckStatus;
import dev.routerstudio.lab.Lab;
import dev.routerstudio.lab.LabStatus;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One call that tells a CI job whether a profile works: build it (or take the identical build
 * that exists), boot it in a lab with every check and the shutdown at the end, wait, and give the
 * verdict with each check's transcript. The lab's evidence stays downloadable afterwards.
 */
@Service
public class Verifier {

    /**
     * What verify found. lab and status are null when the build did not succeed (then buildError
     * and buildLogTail say why); seconds: the whole verify, build included.
     */
    public record Result(String profile, long build, BuildStatus buildStatus, String buildError, String buildLogTail,
                         String lab, LabStatus status, LabRun.Verdict verdict, double seconds) {

        public int tests() {
            return status == null ? 1 : status.checks().size();
        }

        public long failures() {
            return status == null ? 1 : status.checks().stream().filter(c -> c.status() == CheckStatus.FAILED).count();
        }

        public long skipped() {
            return status == null ? 0 : status.checks().stream().filter(c -> c.status() == CheckStatus.SKIPPED).count();
        }
    }

    private final BuildService builds;
    private final Labs labs;

    Verifier(BuildService builds, Labs labs) {
        this.builds = builds;
        this.labs = labs;
    }

    public Result verify(String profile, LabOptions options, String user, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(timeout);
        Build build = builds.submit(profile, user).build();
        while (build.getStatus() == BuildStatus.QUEUED || build.getStatus() == BuildStatus.RUNNING) {
            if (Instant.now().isAfter(deadline)) {
                return new Result(profile, build.getId(), build.getStatus(), "the build did not finish within " + timeout.toMinutes()
                        + " min (it goes on; verify again later and its result is reused)", tail(build.getId()), null, null,
                        LabRun.Verdict.ERROR, seconds(start));
            }
            Thread.sleep(500);
            build = builds.get(build.getId());
        }
        if (build.getStatus() != BuildStatus.SUCCEEDED) {
            return new Result(profile, build.getId(), build.getStatus(), build.getError(), tail(build.getId()), null, null,
                    LabRun.Verdict.ERROR, seconds(start));
        }
        String lab = labs.boot(build.getId(), true, options);
        LabStatus status = labs.status(lab);
        while (!status.checksDone() && status.state() != Lab.State.FAILED && status.state() != Lab.State.STOPPED) {
            if (Instant.now().isAfter(deadline)) {
                labs.stop(lab);
                return new Result(profile, build.getId(), build.getStatus(), null, null, lab, stopped(status, timeout),
                        LabRun.Verdict.ERROR, seconds(start));
            }
            Thread.sleep(1000);
            status = labs.status(lab);
        }
        return new Result(profile, build.getId(), build.getStatus(), null, null, lab, status, LabRun.verdictOf(status), seconds(start));
    }

    /** The status with the checks still open marked failed: verify ran out of time. */
    private static LabStatus stopped(LabStatus s, Duration timeout) {
        List<CheckResult> checks = s.checks().stream().map(c -> c.status() == CheckStatus.PENDING || c.status() == CheckStatus.RUNNING
                ? new CheckResult(c.name(), c.title(), CheckStatus.FAILED, c.seconds(), c.atSeconds(),
                "not finished: verify's " + timeout.toMinutes() + " min ran out, the lab was stopped", c.excerpt()) : c).toList();
        return new LabStatus(s.id(), s.buildId(), s.wanMode(), Lab.State.STOPPED, s.error(), s.startedAt(), s.nodes(), checks, s.worker());
    }

    private String tail(long build) {
        String log = builds.logText(build);
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }
}
