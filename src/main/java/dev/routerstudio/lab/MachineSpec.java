package dev.routerstudio.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One QEMU Malta guest as TARGET-NOTES describes it: kernel + initramfs, IDE disks (the root
 * with snapshot=on so the image is never written), pcnet cards on unix-socket streams, serial
 * on a unix-socket chardev that waits for the studio, no display, no monitor, no reboot.
 * The command line never contains a user-mode or multicast netdev.
 */
public record MachineSpec(String node, int memoryMb, Path kernel, Path initrd, String append, List<Disk> disks,
                          List<Nic> nics) {

    /** A raw disk on the IDE bus, in order: sda, sdb, …; snapshot: writes go to a temporary file (IDE cannot be read-only). */
    public record Disk(Path file, boolean snapshot) {
    }

    /** A pcnet card on a stream socket; listen: this guest's QEMU creates the socket. */
    public record Nic(String id, String mac, Path socket, boolean listen) {
    }

    public static final String QEMU = "qemu-system-mipsel";
    /** Every studio-started QEMU carries this in its command line (-name), so start-up can find stale ones. */
    public static final String MARKER = "routerstudio-lab";

    public List<String> commandLine(Path consoleSocket, String labId) {
        List<String> c = new ArrayList<>(List.of(QEMU, "-M", "malta", "-m", Integer.toString(memoryMb),
                "-name", MARKER + ":" + labId + ":" + node,
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append));
        int index = 0;
        for (Disk d : disks) {
            c.add("-drive");
            c.add("file=" + commaSafe(d.file()) + ",if=ide,index=" + index++ + ",format=raw"
                    + (d.snapshot() ? ",snapshot=on" : ""));
        }
        c.add("-nic");
        c.add("none");
        for (Nic n : nics) {
            c.add("-netdev");
            c.add("stream,id=" + n.id() + ",server=" + (n.listen() ? "on" : "off") + ",addr.type=unix,addr.path="
                    + commaSafe(n.socket()));
            c.add("-device");
            c.add("pcnet,netdev=" + n.id() + ",mac=" + n.mac() + ",romfile=");
        }
        c.addAll(List.of("-display", "none", "-vga", "none", "-monitor", "none", "-no-reboot",
                "-chardev", "socket,id=ser0,path=" + commaSafe(consoleSocket) + ",server=on,wait=on",
                "-serial", "chardev:ser0"));
        return c;
    }

    private static String commaSafe(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.indexOf(',') >= 0) {
            throw new IllegalArgumentException("QEMU option paths may not contain a comma: " + s);
        }
        return s;
    }
}
