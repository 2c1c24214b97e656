package dev.routerstudio.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns a {@link TargetSpec} into a QEMU command line: the lab's machines and
 * the bundle's run-qemu.sh both come from here. Disks attach as the target says (the root with
 * snapshot=on, so the image is never written), NICs are the target's model on unix-socket
 * streams, there is no display, monitor or reboot (a reboot ends QEMU). Never a user-mode or multicast netdev.
 */
public final class QemuCommand {

    /** A disk (raw or qcow2), in order: sda, sdb, …; snapshot: writes go to a temporary file. */
    public record Disk(String file, boolean snapshot, String format) {
        public Disk {
            if (!format.equals("raw") && !format.equals("qcow2")) {
                throw new IllegalArgumentException("disk format must be raw or qcow2, not " + format);
            }
        }

        public Disk(String file, boolean snapshot) {
            this(file, snapshot, "raw");
        }
    }

    /** A NIC on a unix-socket stream (listen: this QEMU creates the socket), or unplugged when socket is null. */
    public record Nic(String id, String mac, String socket, boolean listen) {
    }

    private final TargetSpec target;
    private final List<String> args = new ArrayList<>();
    private int disks;

    private QemuCommand(TargetSpec target, int memoryMb, String kernel, String initrd, String append) {
        this.target = target;
        args.addAll(List.of(target.qemu(), "-M", target.qemuMachine(), "-m", Integer.toString(memoryMb)));
        if (kernel != null) {
            args.addAll(List.of("-kernel", kernel));
            if (initrd != null) {
                args.addAll(List.of("-initrd", initrd));
            }
            args.addAll(List.of("-append", append));
        }
        args.addAll(target.qemuFlags());
    }

    /** A guest of this target booting kernel and initrd with the target's kernel command line. */
    public static QemuCommand of(TargetSpec target, int memoryMb, String kernel, String initrd) {
        return new QemuCommand(target, memoryMb, kernel, initrd, target.kernelAppend());
    }

    /**
     * A guest that is not the studio's (a user's peer VM): kernel (initrd optional) with its own
     * command line, or, kernel null, booting its first disk through the machine's firmware.
     */
    public static QemuCommand foreign(TargetSpec target, int memoryMb, String kernel, String initrd, String append) {
        return new QemuCommand(target, memoryMb, kernel, initrd, append);
    }

    /** -name, which the lab uses to find its own QEMUs again. */
    public QemuCommand name(String name) {
        args.addAll(List.of("-name", name));
        return this;
    }

    public QemuCommand disk(Disk d) {
        args.add("-drive");
        args.add("file=" + commaSafe(d.file()) + "," + target.diskInterface() + ",index=" + disks++ + ",format=" + d.format()
                + (d.snapshot() ? ",snapshot=on" : ""));
        return this;
    }

    /**
     * The writable store (the router's overlay): the target's store drive, and store=DEV on the
     * kernel command line so the initramfs formats and mounts it. QEMU still ends on a reboot
     * (-no-reboot); the lab boots the guest again in a new QEMU (QemuMachine).
     */
    public QemuCommand store(String file) {
        TargetSpec.Store s = target.store();
        int append = args.indexOf("-append") + 1;
        if (append == 0) {
            throw new IllegalStateException("a store needs a kernel boot: the initramfs is told where it is");
        }
        args.set(append, args.get(append) + " store=" + s.device());
        args.addAll(List.of("-drive", "file=" + commaSafe(file) + ",format=raw," + s.drive()));
        return this;
    }

    public QemuCommand nic(Nic n) {
        args.addAll(nicArgs(target, n));
        return this;
    }

    /** The serial console on a unix socket that QEMU creates and waits on until a reader connects. */
    public QemuCommand serialSocket(String path) {
        args.addAll(List.of("-chardev", "socket,id=ser0,path=" + commaSafe(path) + ",server=on,wait=on", "-serial", "chardev:ser0"));
        return this;
    }

    /** The serial console on QEMU's own stdin and stdout. */
    public QemuCommand serialStdio() {
        args.addAll(stdioSerialArgs());
        return this;
    }

    public static List<String> stdioSerialArgs() {
        return List.of("-serial", "stdio");
    }

    public List<String> args() {
        return List.copyOf(args);
    }

    /** The -netdev and -device arguments of one NIC of this target. */
    public static List<String> nicArgs(TargetSpec target, Nic n) {
        if (n.socket() == null) {
            // a hub of its own with nothing else on it: the card is there, its cable goes nowhere
            return List.of("-netdev", "hubport,id=" + n.id() + ",hubid=" + (100 + Math.abs(n.id().hashCode() % 100)),
                    "-device", target.nicModel() + ",netdev=" + n.id() + ",mac=" + n.mac()
                            + (target.nicOptions().isEmpty() ? "" : "," + target.nicOptions()));
        }
        String device = target.nicModel() + ",netdev=" + n.id() + ",mac=" + n.mac()
                + (target.nicOptions().isEmpty() ? "" : "," + target.nicOptions());
        return List.of("-netdev", "stream,id=" + n.id() + ",server=" + (n.listen() ? "on" : "off")
                + ",addr.type=unix,addr.path=" + commaSafe(n.socket()), "-device", device);
    }

    /** QEMU splits option values at commas; a path with one would silently become another option. */
    private static String commaSafe(String path) {
        if (path.indexOf(',') >= 0) {
            throw new IllegalArgumentException("QEMU option paths may not contain a comma: " + path);
        }
        return path;
    }
}
