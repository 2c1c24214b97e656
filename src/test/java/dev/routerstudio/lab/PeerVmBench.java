package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.TargetSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * bench/peer-vm-bench.sh: the x86_64 PPPoE peer (X86Peer) as a user's peer VM — its build, the
 * size of what an upload sends, and N boots timed from QEMU's start to its ready line, alone on
 * an access link nobody else is on. PeerVmBench WORK_DIR PACKAGE_CACHE BOOTS
 */
public final class PeerVmBench {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path cache = Path.of(args[1]).toAbsolutePath();
        int boots = Integer.parseInt(args[2]);
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        X86Peer.Files peer = X86Peer.build(LabDescription.of(LabFixtures.pppoe("secret")), cache, work.resolve("disk"));
        System.out.printf("image+disk %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        System.out.printf("upload kernel %d initrd %d disk %d bytes%n", Files.size(peer.kernel()), Files.size(peer.initrd()), Files.size(peer.disk()));
        TargetSpec x86 = TargetSpec.peerMachines().get("x86_64");
        for (int i = 1; i <= boots; i++) {
            ConsoleBuffer console = new ConsoleBuffer(1 << 20);
            Path dir = work.resolve("boot-" + i);
            Files.createDirectories(dir);
            MachineSpec spec = MachineSpec.foreign("isp", x86, 256, peer.kernel(), peer.initrd(), peer.append(),
                    List.of(new MachineSpec.Disk(peer.disk(), true, "raw")),
                    List.of(new MachineSpec.Nic("access", "52:54:00:00:03:01", dir.resolve("access.sock"), true)));
            QemuMachine m = new QemuMachine(spec, dir, "bench" + i, console);
            long start = System.nanoTime();
            m.start(Duration.ofSeconds(30));
            StringBuilder seen = new StringBuilder();
            long last = 0;
            long deadline = start + Duration.ofSeconds(120).toNanos();
            try {
                while (!seen.toString().contains(X86Peer.READY) && System.nanoTime() < deadline) {
                    ConsoleBuffer.Batch b = console.await(last, 250);
                    b.events().forEach(e -> seen.append(e.text()));
                    last = b.lastId(last);
                }
                System.out.printf("boot %d: %s after %d ms%n", i, seen.toString().contains(X86Peer.READY) ? "ready" : "NOT ready",
                        (System.nanoTime() - start) / 1_000_000);
            } finally {
                m.stop();
            }
        }
    }
}
