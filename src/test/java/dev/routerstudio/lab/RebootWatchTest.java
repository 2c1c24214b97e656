package dev.routerstudio.lab;

import dev.routerstudio.pipeline.TargetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RebootWatchTest {

    @Test
    void findsEachRebootAfterTheStartEvenSplitAcrossEventsAndEndsWithTheConsole() throws Exception {
        ConsoleBuffer console = new ConsoleBuffer(10_000);
        console.append("[    9.7] reboot: Restarting system\n"); // before the watch: not counted
        long start = console.lastId();
        RebootWatch watch = new RebootWatch(console, start);
        console.append("gateway:~# reboot\ns6: sending all processes the TERM signal\n[   12.1] reboot: Resta");
        long split = console.append("rting system\n");
        console.append("[    0.0] Linux version 6.1.0\n");
        assertThat(watch.next(Duration.ofMillis(100))).isEqualTo(split);
        long second = console.append("[   30.0] reboot: Restarting system\n");
        assertThat(watch.next(Duration.ofMillis(100))).isEqualTo(second);
        console.append("[   40.0] reboot: Power down\n");
        console.close();
        assertThat(watch.next(Duration.ofMillis(100))).isEqualTo(-1);
    }

    @Test
    void theStoreImageIsSparseAndAsLargeAsTheTargetSays(@TempDir Path dir) throws Exception {
        TargetSpec.Store store = TargetSpec.load("malta-mipsel").store();
        Path image = RouterStore.create(dir, store);
        assertThat(image).isEqualTo(dir.resolve("router-store.img"));
        assertThat(Files.size(image)).isEqualTo(64L * 1024 * 1024);
        // sparse: no blocks written (the initramfs formats it)
        assertThat(((Number) Files.getAttribute(image, "unix:size")).longValue()).isEqualTo(64L * 1024 * 1024);
        Process du = new ProcessBuilder("du", "-k", image.toString()).redirectErrorStream(true).start();
        String used = new String(du.getInputStream().readAllBytes()).trim().split("\\s+")[0];
        assertThat(Long.parseLong(used)).as("KiB allocated").isLessThan(1024);
        // a second lab start on the same folder keeps what the router wrote
        Files.write(image, new byte[]{1}, java.nio.file.StandardOpenOption.WRITE);
        RouterStore.create(dir, store);
        assertThat(Files.readAllBytes(image)[0]).isEqualTo((byte) 1);
        assertThatThrownBy(() -> RouterStore.create(dir, new TargetSpec.Store("/dev/vda", 2, "if=virtio")))
                .hasMessageContaining("store.size must be 8–4096 MiB, not 2");
    }
}
