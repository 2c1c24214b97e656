package dev.routerstudio.lab.link;

import java.util.random.RandomGenerator;

/**
 * What happens to each frame on one direction of a link: dropped (the link is down, or the
 * frame is lost), or delivered at a time. Without jitter, frames keep their order: a frame is
 * never due before the one that came before it (so lowering the delay does not let later frames
 * overtake); with jitter they may be reordered, as on a real jittery path.
 */
public final class LinkFaults {

    public enum Fate { DELIVER, DOWN, LOST }

    /** deliverAtNanos: on the same clock as the frame's arrival (System.nanoTime in the relay). */
    public record Decision(Fate fate, long deliverAtNanos) {
    }

    private final RandomGenerator random;
    private long lastDueNanos = Long.MIN_VALUE;

    public LinkFaults(RandomGenerator random) {
        this.random = random;
    }

    public synchronized Decision decide(long arrivalNanos, boolean up, Impairment imp) {
        if (!up) {
            return new Decision(Fate.DOWN, 0);
        }
        if (imp.lossPercent() > 0 && random.nextDouble() * 100 < imp.lossPercent()) {
            return new Decision(Fate.LOST, 0);
        }
        long delay = imp.delayMs() * 1_000_000L;
        if (imp.jitterMs() > 0) {
            long j = imp.jitterMs() * 1_000_000L;
            delay += random.nextLong(-j, j + 1);
            long due = arrivalNanos + Math.max(0, delay);
            lastDueNanos = Math.max(lastDueNanos, due);
            return new Decision(Fate.DELIVER, due);
        }
        long due = arrivalNanos + delay;
        if (lastDueNanos != Long.MIN_VALUE && due < lastDueNanos) {
            due = lastDueNanos;
        }
        lastDueNanos = due;
        return new Decision(Fate.DELIVER, due);
    }
}
