package dev.routerstudio.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * Steps in the order they run, and their runner (as Jib's StepsRunner): before each step it
 * stops if the build was cancelled, logs the step and reports it started; after it, reports it
 * done. The firmware and the lab's peer image are two plans over the same steps.
 */
public record Plan<W>(List<Step<? super W>> steps) {

    @SafeVarargs
    public static <W> Plan<W> of(Step<? super W>... steps) {
        return new Plan<W>(List.of(steps));
    }

    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    public void run(BuildContext ctx, W work) {
        for (Step<? super W> step : steps) {
            ctx.checkCancelled();
            ctx.log("== " + step.name() + " (" + Instant.now() + ")");
            ctx.progress().stage(step.name(), 0);
            step.job().run(ctx, work);
            ctx.progress().stage(step.name(), 1);
        }
    }
}
