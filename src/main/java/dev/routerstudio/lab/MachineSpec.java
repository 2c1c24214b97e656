package dev.routerstudio.lab;

import dev.routerstudio.pipeline.QemuCommand;
import dev.routerstudio.pipeline.TargetSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * One lab guest of a target: kernel + initramfs, raw disks (the root with snapshot=on so the
 * image is never written), NICs on unix-socket streams, serial on a unix-socket chardev that
 * waits for the studio. The command line itself comes from {@link QemuCommand}, the same class
 * that writes the bundle's run-qemu.sh.
 */
public record MachineSpec(String node, TargetSpec target, int memoryMb, Path kernel, Path initrd, List<Disk> disks,
                          List<Nic> nics, Path store) {

    /** A guest without a writable store: its root stays read-only and a reboot ends its QEMU. */
    public MachineSpec(String node, TargetSpec target, int memoryMb, Path kernel, Path initrd, List<Disk> disks, List<Nic> nics) {
        this(node, target, memoryMb, kernel, initrd, disks, nics, null);
    }

    /** The same guest with a writable store (see {@link QemuCommand#store}). */
    public MachineSpec withStore(Path image) {
        return new MachineSpec(node, target, memoryMb, kernel, initrd, disks, nics, image);
    }

    /** A raw disk, in order: sda, sdb, …; snapshot: writes go to a temporary file (IDE cannot be read-only). */
    public record Disk(Path file, boolean snapshot) {
    }

    /** A NIC on a stream socket; listen: this guest's QEMU creates the socket. */
    public record Nic(String id, String mac, Path socket, boolean listen) {
    }

    /** Every studio-started QEMU carries this in its command line (-name), so start-up can find stale ones. */
    public static final String MARKER = "routerstudio-lab";

    public List<String> commandLine(Path consoleSocket, String labId) {
        QemuCommand c = QemuCommand.of(target, memoryMb, absolute(kernel), absolute(initrd)).name(MARKER + ":" + labId + ":" + node);
        for (Disk d : disks) {
            c.disk(new QemuCommand.Disk(absolute(d.file()), d.snapshot()));
        }
        if (store != null) {
            c.store(absolute(store));
        }
        for (Nic n : nics) {
            c.nic(new QemuCommand.Nic(n.id(), n.mac(), absolute(n.socket()), n.listen()));
        }
        return c.serialSocket(absolute(consoleSocket)).args();
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().toString();
    }
}
