package dev.routerstudio.lab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleBufferTest {

    @Test
    void idsGrowAndAReaderResumesAfterItsLastId() {
        ConsoleBuffer b = new ConsoleBuffer(1000);
        long a = b.append("one ");
        long c = b.append("two ");
        long d = b.append("three");
        assertThat(List.of(a, c, d)).containsExactly(1L, 2L, 3L);
        ConsoleBuffer.Batch batch = b.after(1);
        assertThat(batch.events()).extracting(ConsoleBuffer.Event::text).containsExactly("two ", "three");
        assertThat(batch.gap()).isFalse();
        assertThat(b.after(3).events()).isEmpty();
        assertThat(b.after(0).events()).hasSize(3);
    }

    @Test
    void oldestEventsAreEvictedAndAResumingReaderLearnsOfTheGap() {
        ConsoleBuffer b = new ConsoleBuffer(10);
        b.append("aaaa");
        b.append("bbbb");
        b.append("cccc");
        assertThat(b.heldChars()).isLessThanOrEqualTo(10);
        assertThat(b.firstHeldId()).isEqualTo(2);
        ConsoleBuffer.Batch fromStart = b.after(0);
        assertThat(fromStart.gap()).isTrue();
        assertThat(fromStart.events()).extracting(ConsoleBuffer.Event::id).containsExactly(2L, 3L);
        assertThat(b.after(1).gap()).isFalse();
        b.append("dddddddddddddddd");
        assertThat(b.after(0).events()).extracting(ConsoleBuffer.Event::text).containsExactly("dddddddddd");
        assertThat(b.lastId()).isEqualTo(4);
    }

    @Test
    void subscribersGetTheScrollbackThenLiveEventsWithoutDuplicates() {
        ConsoleBuffer b = new ConsoleBuffer(100);
        b.append("x");
        b.append("y");
        List<Long> seen1 = new ArrayList<>();
        List<Long> seen2 = new ArrayList<>();
        ConsoleBuffer.Subscription s1 = b.subscribe(0, e -> seen1.add(e.id()));
        ConsoleBuffer.Subscription s2 = b.subscribe(1, e -> seen2.add(e.id()));
        b.append("z");
        s1.close();
        b.append("w");
        assertThat(seen1).containsExactly(1L, 2L, 3L);
        assertThat(seen2).containsExactly(2L, 3L, 4L);
        s2.close();
        assertThat(b.subscriberCount()).isZero();
    }

    @Test
    void awaitReturnsWhenSomethingArrivesOrTheTimeoutPasses() throws Exception {
        ConsoleBuffer b = new ConsoleBuffer(100);
        long t0 = System.nanoTime();
        assertThat(b.await(0, 100).events()).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(90);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            b.append("late");
        });
        t.start();
        assertThat(b.await(0, 5000).events()).extracting(ConsoleBuffer.Event::text).containsExactly("late");
        b.close();
        assertThat(b.await(1, 5000).closed()).isTrue();
    }

    @Test
    void cursorPositionQueriesAreRemovedEvenWhenSplitAcrossReads() {
        CursorQueryFilter f = new CursorQueryFilter();
        assertThat(f.filter("gateway:~# \u001b[6n")).isEqualTo("gateway:~# ");
        assertThat(f.filter("ls\u001b")).isEqualTo("ls");
        assertThat(f.filter("[6")).isEqualTo("");
        assertThat(f.filter("nok")).isEqualTo("ok");
        assertThat(f.queries()).isEqualTo(2);
        // Other escape sequences pass untouched, also when their first bytes look like a query.
        assertThat(f.filter("\u001b[6;1H\u001b[0m")).isEqualTo("\u001b[6;1H\u001b[0m");
        assertThat(f.filter("a\u001b")).isEqualTo("a");
        assertThat(f.filter("[K")).isEqualTo("\u001b[K");
    }

    @Test
    void consoleTextDropsEscapesAndCarriageReturns() {
        assertThat(ConsoleText.clean("a\u001b[0;32mb\u001b[0m\r\nc\u001b[K")).isEqualTo("ab\nc");
        assertThat(ConsoleText.lastLines("1\n2\n3\n4\n", 2)).isEqualTo("3\n4");
        assertThat(ConsoleText.lastLines("only", 5)).isEqualTo("only");
    }
}
