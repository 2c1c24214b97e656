package dev.routerstudio.lab.link;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LinkFaultsTest {

    static final long MS = 1_000_000L;

    @Test
    void aDownLinkDropsEveryFrameAndACleanOneDeliversAtOnce() {
        LinkFaults f = new LinkFaults(new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            assertThat(f.decide(i * MS, false, Impairment.NONE).fate()).isEqualTo(LinkFaults.Fate.DOWN);
            // down wins over any impairment
            assertThat(f.decide(i * MS, false, new Impairment(0, 80, 10)).fate()).isEqualTo(LinkFaults.Fate.DOWN);
        }
        LinkFaults.Decision d = f.decide(5 * MS, true, Impairment.NONE);
        assertThat(d.fate()).isEqualTo(LinkFaults.Fate.DELIVER);
        assertThat(d.deliverAtNanos()).isEqualTo(5 * MS);
    }

    @Test
    void lossDropsAboutThatShareOfFrames() {
        LinkFaults f = new LinkFaults(new SplittableRandom(42));
        int lost = 0;
        for (int i = 0; i < 20_000; i++) {
            if (f.decide(i * MS, true, new Impairment(20, 0, 0)).fate() == LinkFaults.Fate.LOST) {
                lost++;
            }
        }
        assertThat(lost).isBetween(3_700, 4_300);
        LinkFaults all = new LinkFaults(new SplittableRandom(7));
        for (int i = 0; i < 1000; i++) {
            assertThat(all.decide(i, true, new Impairment(100, 0, 0)).fate()).isEqualTo(LinkFaults.Fate.LOST);
        }
    }

    @Test
    void delayPutsEachFrameLaterAndKeepsTheOrderWhenTheDelayDrops() {
        LinkFaults f = new LinkFaults(new SplittableRandom(3));
        assertThat(f.decide(0, true, new Impairment(0, 80, 0)).deliverAtNanos()).isEqualTo(80 * MS);
        assertThat(f.decide(10 * MS, true, new Impairment(0, 80, 0)).deliverAtNanos()).isEqualTo(90 * MS);
        // the delay is lowered: a frame that comes 1 ms later would be due at 11 ms, before the one due at 90 ms;
        // it waits for it instead (no reordering without jitter)
        assertThat(f.decide(11 * MS, true, Impairment.NONE).deliverAtNanos()).isEqualTo(90 * MS);
        assertThat(f.decide(200 * MS, true, Impairment.NONE).deliverAtNanos()).isEqualTo(200 * MS);
    }

    @Test
    void jitterSpreadsTheDelayWithinItsBoundsAndMayReorder() {
        LinkFaults f = new LinkFaults(new SplittableRandom(9));
        Impairment imp = new Impairment(0, 50, 10);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean reordered = false;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 5000; i++) {
            long arrival = i * MS;
            long due = f.decide(arrival, true, imp).deliverAtNanos();
            min = Math.min(min, due - arrival);
            max = Math.max(max, due - arrival);
            reordered |= due < previous;
            previous = due;
        }
        assertThat(min).isBetween(40 * MS, 42 * MS);
        assertThat(max).isBetween(58 * MS, 60 * MS);
        assertThat(reordered).isTrue();
    }

    @Test
    void impairmentRangesAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Impairment(101, 0, 0)).hasMessageContaining("lossPercent must be 0–100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Impairment(0, -1, 0)).hasMessageContaining("delayMs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Impairment(0, 0, 10_001)).hasMessageContaining("jitterMs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Impairment(Double.NaN, 0, 0)).hasMessageContaining("lossPercent");
    }
}
