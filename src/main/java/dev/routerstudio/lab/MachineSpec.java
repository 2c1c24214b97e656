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
                          List<Nic> nics, Path store, String append) {

    /** A guest without a writable store: its root stays read-only and a reboot ends its QEMU. */
    public MachineSpec(String node, TargetSpec target, int memoryMb, Path kernel, Path initrd, List<Disk> disks, List<Nic> nics) {
        this(node, target, memoryMb, kernel, initrd, disks, nics, null, null);
    }

    public MachineSpec(String node, TargetSpec target, int memoryMb, Path kernel, Path initrd, List<Disk> disks, List<Nic> nics, Path store) {
        this(node, target, memoryMb, kernel, initrd, disks, nics, store, null);
    }

    /** The same guest with a writable store (see {@link QemuCommand#store}). */
    public MachineSpec withStore(Path image) {
        return new MachineSpec(node, target, memoryMb, kernel, initrd, disks, nics, image, append);
    }

    /**
     * A guest that is not the studio's (a user's peer VM): its own kernel command line, or with
     * kernel null a boot from its first disk; initrd may be null.
     */
    public static MachineSpec foreign(String node, TargetSpec target, int memoryMb, Path kernel, Path initrd, String append,
                                      List<Disk> disks, List<Nic> nics) {
        return new MachineSpec(node, target, memoryMb, kernel, initrd, disks, nics, null, kernel == null ? null : append);
    }

    /** A disk (raw or qcow2), in order: sda, sdb, …; snapshot: writes go to a temporary file (IDE cannot be read-only). */
    public record Disk(Path file, boolean snapshot, String format) {
        public Disk(Path file, boolean snapshot) {
            this(file, snapshot, "raw");
        }
    }

    /** A NIC on a stream socket (listen: this guest's QEMU creates the socket), or unplugged when socket is null. */
    public record Nic(String id, String mac, Path socket, boolean listen) {
    }

    /** Every studio-started QEMU carries this in its command line (-name), so start-up can find stale ones. */
    public static final String MARKER = "routerstudio-lab";

    public List<String> commandLine(Path consoleSocket, String labId) {
        QemuCommand c = (append == null && kernel != null ? QemuCommand.of(target, memoryMb, absolute(kernel), absolute(initrd))
                : QemuCommand.foreign(target, memoryMb, kernel == null ? null : absolute(kernel), initrd == null ? null : absolute(initrd), append))
                .name(MARKER + ":" + labId + ":" + node);
        for (Disk d : disks) {
            c.disk(new QemuCommand.Disk(absolute(d.file()), d.snapshot(), d.format()));
        }
        if (store != null) {
            c.store(absolute(store));
        }
        for (Nic n : nics) {
            c.nic(new QemuCommand.Nic(n.id(), n.mac(), n.socket() == null ? null : absolute(n.socket()), n.listen()));
        }
        return c.serialSocket(absolute(consoleSocket)).args();
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().toString();
    }
}
