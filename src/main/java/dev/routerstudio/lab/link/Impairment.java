package dev.routerstudio.lab.link;

/**
 * How a link misbehaves while it is up: each frame is lost with lossPercent probability, and the
 * rest arrive delayMs later, give or take up to jitterMs (uniformly). NONE is a clean line.
 */
public record Impairment(double lossPercent, int delayMs, int jitterMs) {

    public static final Impairment NONE = new Impairment(0, 0, 0);
    public static final int MAX_DELAY_MS = 10_000;
    public static final int MAX_JITTER_MS = 10_000;

    public Impairment {
        if (!(lossPercent >= 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("lossPercent must be 0–100, not " + lossPercent);
        }
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be 0–" + MAX_DELAY_MS + ", not " + delayMs);
        }
        if (jitterMs < 0 || jitterMs > MAX_JITTER_MS) {
            throw new IllegalArgumentException("jitterMs must be 0–" + MAX_JITTER_MS + ", not " + jitterMs);
        }
    }

    public boolean isNone() {
        return lossPercent == 0 && delayMs == 0 && jitterMs == 0;
    }
}
