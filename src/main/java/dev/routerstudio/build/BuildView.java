package dev.routerstudio.build;

import dev.routerstudio.pipeline.FirmwarePipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A build as the API and the page show it: status, where it is (stage, progress, queue position),
 * why it failed, and what it made.
 */
public record BuildView(long id,
                        String profile,
                        long profileVersion,
                        BuildStatus status,
                        String stage,
                        double progress,
                        List<StageView> stages,
                        long queuePosition,
                        String error,
                        String specHash,
                        Instant createdAt,
                        Instant startedAt,
                        Instant finishedAt,
                        double elapsedSeconds,
                        boolean cacheHit,
                        String worker,
                        int attempt,
                        List<ArtifactView> artifacts,
                        String href) {

    public record StageView(String name, String state, double fraction) {
    }

    public record ArtifactView(String name, long size, String sha256, String url) {
    }

    static BuildView of(Build b, long queuePosition, BuildQueue.Progress live, BuildReport report, boolean cacheHit) {
        List<String> names = FirmwarePipeline.STAGES;
        String stage = live != null ? live.stage() : b.getStage();
        double fraction = live != null ? live.fraction() : 0;
        int current = stage == null ? -1 : names.indexOf(stage);
        List<StageView> stages = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String state;
            double f;
            if (b.getStatus() == BuildStatus.SUCCEEDED) {
                state = "done";
                f = 1;
            } else if (b.getStatus() == BuildStatus.QUEUED || current < 0) {
                state = "pending";
                f = 0;
            } else if (i < current) {
                state = "done";
                f = 1;
            } else if (i == current) {
                state = b.getStatus() == BuildStatus.RUNNING ? "running" : b.getStatus() == BuildStatus.FAILED ? "failed" : "cancelled";
                f = b.getStatus() == BuildStatus.RUNNING ? fraction : 0;
            } else {
                state = "pending";
                f = 0;
            }
            stages.add(new StageView(names.get(i), state, f));
        }
        double progress = b.getStatus() == BuildStatus.SUCCEEDED ? 1
                : stages.stream().mapToDouble(StageView::fraction).sum() / names.size();
        String href = "/api/v1/builds/" + b.getId();
        List<ArtifactView> artifacts = report == null || b.getStatus() != BuildStatus.SUCCEEDED ? List.of()
                : report.artifacts().stream().map(a -> new ArtifactView(a.name(), a.size(), a.sha256(), href + "/artifacts/" + a.name())).toList();
        return new BuildView(b.getId(), b.getProfileName(), b.getProfileVersion(), b.getStatus(), stage, progress, stages,
                queuePosition, b.getError(), b.getSpecHash(), b.getCreatedAt(), b.getStartedAt(), b.getFinishedAt(),
                b.elapsed().toMillis() / 1000.0, cacheHit, b.getWorker(), b.getAttempt(), artifacts, href);
    }
}
