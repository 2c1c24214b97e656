package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.TargetSpec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A peer the studio did not build for any lab, as a user would bring one: an x86_64 PPPoE server
 * from Debian amd64 packages (the generic amd64 kernel, e1000, busybox, rp-pppoe and pppd),
 * assembled by the peer image's steps for the pc-x86_64 peer target, with a /config whose
 * password is NOT the line's: the right one only arrives by the upload's console lines.
 * Built once per run under target/ (the hash of its packages decides, as for the built-in peer).
 */
public final class X86Peer {

    /** Its files, as an upload sends them: kernel, initrd and a raw (squashfs) disk. */
    public record Files(Path kernel, Path initrd, Path disk, String append) {
    }

    public static final String READY = "peer: role isp-pppoe ready";
    public static final String WRONG_PASSWORD = "not the line's password";

    private X86Peer() {
    }

    /** The image, and a disk with the ISP's files for this lab's values but a wrong password. */
    public static synchronized Files build(LabDescription lab, Path packageCache, Path work) {
        TargetSpec x86 = TargetSpec.peerMachines().get("x86_64");
        PeerImages images = new PeerImages(LabFixtures.TARGET.resolve("x86-peer-images"), packageCache);
        PeerImages.PeerImage image = images.image(x86, line -> System.out.println("x86 peer: " + line));
        Map<String, String> values = new HashMap<>(lab.isp().values());
        values.put("password", WRONG_PASSWORD);
        Path disk = PeerConfigDisk.build(lab.isp().role(), values, image.rootfs(), work, line -> System.out.println("x86 peer: " + line));
        return new Files(image.kernel(), image.initrd(), disk, x86.kernelAppend());
    }
}
