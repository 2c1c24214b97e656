package dev.routerstudio.lab;

import dev.routerstudio.pipeline.TargetSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MachineSpecTest {

    @Test
    void commandLinesUseUnixSocketStreamsOnlyAndWaitForTheConsole() {
        Path dir = Path.of("/data/labs/abc");
        TargetSpec malta = TargetSpec.load("malta-mipsel");
        MachineSpec router = new MachineSpec("router", malta, 256, Path.of("/b/vmlinuz"), Path.of("/b/initramfs.cpio.xz"),
                List.of(new MachineSpec.Disk(Path.of("/b/rootfs.squashfs"), true)),
                List.of(new MachineSpec.Nic("wan", "52:54:00:00:01:01", dir.resolve("access.sock"), false),
                        new MachineSpec.Nic("lan", "52:54:00:00:02:01", dir.resolve("lan.sock"), false)));
        MachineSpec isp = new MachineSpec("isp", malta, 128, Path.of("/p/vmlinuz"), Path.of("/p/initramfs.cpio.xz"),
                List.of(new MachineSpec.Disk(Path.of("/p/rootfs.squashfs"), true),
                new MachineSpec.Disk(dir.resolve("config-isp/config.squashfs"), true)),
                List.of(new MachineSpec.Nic("access", "52:54:00:00:03:01", dir.resolve("access.sock"), true)));
        for (MachineSpec m : List.of(router, isp)) {
            List<String> c = m.commandLine(dir.resolve(m.node() + ".console"), "abc");
            String all = String.join(" ", c);
            assertThat(all).doesNotContain("user,").doesNotContain("-netdev user").doesNotContain("mcast")
                    .doesNotContain("-netdev socket,mcast").doesNotContain("hostfwd");
            assertThat(c.get(0)).isEqualTo("qemu-system-mipsel");
            assertThat(c).contains("-nic", "none", "-no-reboot", "-display", "-monitor");
            assertThat(c).containsSequence("-M", "malta").containsSequence("-append", "console=ttyS0 panic=1 root=/dev/sda");
            assertThat(all).contains("-device pcnet,netdev=");
            assertThat(all).contains("-name routerstudio-lab:abc:" + m.node());
            assertThat(all).contains("socket,id=ser0,path=/data/labs/abc/" + m.node() + ".console,server=on,wait=on");
            for (int i = 0; i < c.size(); i++) {
                if (c.get(i).equals("-netdev")) {
                    assertThat(c.get(i + 1)).startsWith("stream,").contains("addr.type=unix");
                }
                if (c.get(i).equals("-drive")) {
                    assertThat(c.get(i + 1)).contains("if=ide").contains("snapshot=on");
                }
            }
        }
        assertThat(String.join(" ", router.commandLine(dir.resolve("router.console"), "abc")))
                .contains("stream,id=wan,server=off,addr.type=unix,addr.path=/data/labs/abc/access.sock");
        assertThat(String.join(" ", isp.commandLine(dir.resolve("isp.console"), "abc")))
                .contains("stream,id=access,server=on,addr.type=unix,addr.path=/data/labs/abc/access.sock");
    }

    @Test
    void aRouterWithAWritableStoreGetsTheStoreDriveTellsTheInitramfsAndStillEndsQemuOnAReboot() {
        Path dir = Path.of("/data/labs/abc");
        TargetSpec malta = TargetSpec.load("malta-mipsel");
        MachineSpec plain = new MachineSpec("router", malta, 256, Path.of("/b/vmlinuz"), Path.of("/b/initramfs.cpio.xz"),
                List.of(new MachineSpec.Disk(Path.of("/b/rootfs.squashfs"), true)), List.of());
        List<String> c = plain.withStore(dir.resolve("router-store.img")).commandLine(dir.resolve("router.console"), "abc");
        // The root stays the only IDE disk (sda); the store is a virtio disk (vda), written for real (no snapshot).
        assertThat(c).containsSequence("-drive", "file=/b/rootfs.squashfs,if=ide,index=0,format=raw,snapshot=on")
                .containsSequence("-drive", "file=/data/labs/abc/router-store.img,format=raw,if=virtio")
                .containsSequence("-append", "console=ttyS0 panic=1 root=/dev/sda store=/dev/vda")
                .contains("-no-reboot", "-nic", "none", "-display", "-monitor");
        // A reset inside the same QEMU stalled the next boot; the lab starts a new QEMU instead (QemuMachine; LabApiTest counts the reboots).
        // Without a store: read-only root, no store= (the initramfs never formats a disk it was not given).
        List<String> without = plain.commandLine(dir.resolve("router.console"), "abc");
        assertThat(without).contains("-no-reboot").containsSequence("-append", "console=ttyS0 panic=1 root=/dev/sda");
        assertThat(String.join(" ", without)).doesNotContain("store");
    }
    /**
     * A user's peer VM: its own CPU's QEMU, its disk in its format and never written, its command
     * line, the NICs before its access NIC unplugged (a hub of their own), and a disk boot without
     * -kernel at all.
     */
    @Test
    void aForeignPeerBootsItsOwnKernelOrItsDiskAndUnpluggedNicsGoNowhere() {
        Path dir = Path.of("/data/labs/abc");
        TargetSpec x86 = TargetSpec.peerMachines().get("x86_64");
        List<MachineSpec.Nic> nics = List.of(new MachineSpec.Nic("unplugged0", "52:54:00:00:03:10", null, false),
                new MachineSpec.Nic("access", "52:54:00:00:03:01", dir.resolve("access.sock"), false));
        MachineSpec kernel = MachineSpec.foreign("isp", x86, 512, Path.of("/p/kernel"), null, "console=ttyS0 quiet",
                List.of(new MachineSpec.Disk(Path.of("/p/disk"), true, "qcow2")), nics);
        List<String> c = kernel.commandLine(dir.resolve("isp.console"), "abc");
        assertThat(c.get(0)).isEqualTo("qemu-system-x86_64");
        assertThat(c).containsSequence("-M", "pc").containsSequence("-m", "512").containsSequence("-kernel", "/p/kernel")
                .containsSequence("-append", "console=ttyS0 quiet").doesNotContain("-initrd")
                .containsSequence("-drive", "file=/p/disk,if=ide,index=0,format=qcow2,snapshot=on")
                .containsSequence("-netdev", "stream,id=access,server=off,addr.type=unix,addr.path=/data/labs/abc/access.sock");
        String all = String.join(" ", c);
        assertThat(all).containsPattern("-netdev hubport,id=unplugged0,hubid=\\d+ -device e1000,netdev=unplugged0,mac=52:54:00:00:03:10")
                .doesNotContain("-netdev user").doesNotContain("mcast");
        // the unplugged NIC comes first: the guest's eth0 goes nowhere and eth1 is the access link
        assertThat(all.indexOf("netdev=unplugged0")).isLessThan(all.indexOf("netdev=access"));

        MachineSpec disk = MachineSpec.foreign("isp", x86, 256, null, null, "ignored", List.of(new MachineSpec.Disk(Path.of("/p/disk"), true, "raw")),
                nics.subList(1, 2));
        List<String> d = disk.commandLine(dir.resolve("isp.console"), "abc");
        assertThat(d).doesNotContain("-kernel", "-initrd", "-append").containsSequence("-drive", "file=/p/disk,if=ide,index=0,format=raw,snapshot=on");
    }
}
