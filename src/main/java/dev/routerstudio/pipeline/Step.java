package dev.routerstudio.pipeline;

/**
 * One step of an image plan: the name the build log and page show, and a job that reads what
 * the earlier steps made from the work and adds its own part.
 */
public record Step<W>(String name, Job<W> job) {

    @FunctionalInterface
    public interface Job<W> {
        void run(BuildContext ctx, W work);
    }
}
