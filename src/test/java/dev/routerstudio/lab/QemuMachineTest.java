package dev.routerstudio.lab;

import dev.routerstudio.pipeline.TargetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a machine behaves when its guest reboots, with a stand-in for QEMU (this class's main: it
 * serves the console socket as QEMU does, counts its boots in the store file, and ends on
 * `reboot` after the kernel's last words, as QEMU with -no-reboot does). The real QEMU does the
 * same in every lab with a persist check (LabApiTest counts the router's reboots).
 */
class QemuMachineTest {

    @TempDir
    Path dir;

    @Test
    void aGuestWithAStoreRebootsIntoANewQemuOnTheSameConsoleAndPowersOffForGood() throws Exception {
        Path store = dir.resolve("router-store.img");
        Files.writeString(store, "");
        ConsoleBuffer buffer = new ConsoleBuffer(1 << 16);
        QemuMachine m = new QemuMachine(spec().withStore(store), dir, "t1", buffer);
        try {
            m.start(Duration.ofSeconds(30));
            awaitText(buffer, "Linux version fake, boot 1");
            long first = m.pid();

            m.console().type("reboot\n");
            awaitText(buffer, "Linux version fake, boot 2");
            assertThat(m.resets()).isEqualTo(1);
            assertThat(m.pid()).isNotEqualTo(first);
            assertThat(m.isAlive()).isTrue();
            assertThat(buffer.isClosed()).isFalse();
            assertThat(m.awaitExit(Duration.ofMillis(200))).as("a reboot is not the end").isNull();
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).as("the first QEMU").isFalse();

            // the new QEMU takes typing on the same console, and a power-off ends the machine
            m.console().type("poweroff\n");
            assertThat(m.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
            assertThat(m.isAlive()).isFalse();
            assertThat(m.state()).isEqualTo(QemuMachine.State.EXITED);
            awaitClosed(buffer);
            assertThat(m.resets()).isEqualTo(1);
            assertThat(text(buffer)).contains("reboot: Restarting system").contains("reboot: Power down")
                    .containsOnlyOnce("boot 2");
        } finally {
            m.stop();
        }
    }

    @Test
    void withoutAStoreARebootEndsTheMachine() throws Exception {
        ConsoleBuffer buffer = new ConsoleBuffer(1 << 16);
        QemuMachine m = new QemuMachine(spec(), dir, "t2", buffer);
        try {
            m.start(Duration.ofSeconds(30));
            awaitText(buffer, "boot 1");
            m.console().type("reboot\n");
            assertThat(m.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
            awaitClosed(buffer);
            assertThat(m.isAlive()).isFalse();
            assertThat(m.resets()).isZero();
        } finally {
            m.stop();
        }
    }

    /**
     * Stopping is not a reset; and the lab may power a node on again at once on the same console
     * (Lab.restartNode: stop, reopen the buffer, a new machine), which the old one must not close.
     */
    @Test
    void aStoppedGuestIsNotBootedAgainAndLeavesItsConsoleToTheNextMachine() throws Exception {
        Path store = dir.resolve("router-store.img");
        Files.writeString(store, "");
        for (MachineSpec spec : List.of(spec().withStore(store), spec())) {
            ConsoleBuffer buffer = new ConsoleBuffer(1 << 16);
            QemuMachine m = new QemuMachine(spec, dir, "t3", buffer);
            m.start(Duration.ofSeconds(30));
            awaitText(buffer, "boot 1");
            long pid = m.pid();
            m.stop();
            assertThat(m.isAlive()).isFalse();
            assertThat(m.awaitExit(Duration.ofSeconds(5))).isNotNull();
            assertThat(buffer.isClosed()).isTrue();
            buffer.reopen();
            Thread.sleep(1500);
            assertThat(buffer.isClosed()).as("the console after the old machine ended, store: " + spec.store()).isFalse();
            assertThat(m.pid()).isEqualTo(pid);
            assertThat(m.resets()).isZero();
        }
    }

    /** malta-mipsel with this class's main as its emulator. */
    private MachineSpec spec() throws IOException {
        Path fake = dir.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' " + QemuMachineTest.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        TargetSpec t = TargetSpec.load("malta-mipsel");
        TargetSpec target = new TargetSpec(t.id(), t.label(), t.arch(), t.kernelPackage(), t.loader(), t.triplet(), t.console(),
                t.rootDevice(), t.kernelFeatures(), t.bootFeatures(), fake.toString(), t.qemuMachine(), t.memoryMb(), t.peerMemoryMb(),
                t.nicModel(), t.nicOptions(), t.diskInterface(), t.qemuFlags(), t.userEmulator(), t.hostPackages(), t.store());
        return new MachineSpec("router", target, 64, dir.resolve("vmlinuz"), dir.resolve("initrd"), List.of(), List.of());
    }

    private static void awaitText(ConsoleBuffer buffer, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!text(buffer).contains(text)) {
            assertThat(System.nanoTime()).as("'" + text + "' on the console: " + text(buffer)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitClosed(ConsoleBuffer buffer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!buffer.isClosed()) {
            assertThat(System.nanoTime()).as("the console closed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String text(ConsoleBuffer buffer) {
        StringBuilder s = new StringBuilder();
        buffer.after(0).events().forEach(e -> s.append(e.text()));
        return s.toString();
    }

    /**
     * The stand-in QEMU: serves -chardev socket,path=P (waiting for the studio, as wait=on), counts
     * its boots in the -drive file with format=raw,if=virtio (the store), says so on the console,
     * and answers `reboot` and `poweroff` with the kernel's last words and an exit.
     */
    public static void main(String[] args) throws IOException {
        Path console = null;
        Path store = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-chardev")) {
                console = Path.of(args[i + 1].replaceAll(".*path=([^,]*).*", "$1"));
            }
            if (args[i].equals("-drive") && args[i + 1].contains("if=virtio")) {
                store = Path.of(args[i + 1].replaceAll("file=([^,]*).*", "$1"));
            }
        }
        int boot = 1;
        if (store != null) {
            boot = Files.readString(store).length() + 1;
            Files.writeString(store, "x".repeat(boot));
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(console));
            try (SocketChannel ch = server.accept()) {
                OutputStream out = Channels.newOutputStream(ch);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                out.write(("Linux version fake, boot " + boot + "\n# ").getBytes(StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("reboot") || line.equals("poweroff")) {
                        out.write((line.equals("reboot") ? "reboot: Restarting system\n" : "reboot: Power down\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        System.exit(0);
                    }
                    out.write(("# ").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
