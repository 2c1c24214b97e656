package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetSpecTest {

    @Test
    void theMaltaFolderNamesEverythingTheBuildAndTheLabNeed() {
        assertThat(TargetSpec.ids()).contains("malta-mipsel");
        TargetSpec t = TargetSpec.load("malta-mipsel");
        assertThat(t.arch()).isEqualTo("mipsel");
        assertThat(t.kernelPackage()).isEqualTo("linux-image-4kc-malta");
        assertThat(t.loader()).isEqualTo("/lib/ld.so.1");
        assertThat(t.libraryDirs()).startsWith("/lib/mipsel-linux-gnu", "/usr/lib/mipsel-linux-gnu");
        assertThat(t.consoleDevice()).isEqualTo("/dev/ttyS0");
        assertThat(t.kernelAppend()).isEqualTo("console=ttyS0 panic=1 root=/dev/sda");
        assertThat(t.bootFeatures()).containsExactly("squashfs", "ide-root", "store");
        assertThat(t.kernelFeatures()).contains("store");
        assertThat(t.store()).isEqualTo(new TargetSpec.Store("/dev/vda", 64, "if=virtio"));
        assertThat(t.kernelFeatures()).contains("nic-pcnet", "serial");
        assertThat(t.qemu()).isEqualTo("qemu-system-mipsel");
        assertThat(t.qemuMachine()).isEqualTo("malta");
        assertThat(t.nicModel()).isEqualTo("pcnet");
        assertThat(t.qemuFlags()).containsSequence("-nic", "none").contains("-no-reboot");
        assertThat(t.userEmulator()).isEqualTo("qemu-mipsel-static");
        assertThat(t.hostPackages()).contains("qemu-system-mips", "qemu-user-static");
    }

    @Test
    void anUnknownTargetNamesTheOnesThereAre() {
        assertThatThrownBy(() -> TargetSpec.load("sparc-sun")).hasMessage("target 'sparc-sun' is not supported; targets: "
                + String.join(", ", TargetSpec.ids()));
        assertThatThrownBy(() -> TargetSpec.load("../wan")).hasMessageContaining("is not supported");
        assertThat(TargetSpec.exists("malta-mipsel")).isTrue();
        assertThat(TargetSpec.exists("../targets/malta-mipsel")).isFalse();
    }
    /**
     * Peers run on every firmware target's machine and on the peer targets' (x86_64: QEMU's PC,
     * Debian amd64, e1000), which are no firmware targets: profiles never offer them.
     */
    @Test
    void peerMachinesAreTheFirmwareTargetsAndThePeerTargetsByCpu() {
        var machines = TargetSpec.peerMachines();
        assertThat(machines.keySet()).containsExactly("mipsel", "x86_64");
        assertThat(machines.get("mipsel").id()).isEqualTo("malta-mipsel");
        TargetSpec pc = machines.get("x86_64");
        assertThat(pc.id()).isEqualTo("pc-x86_64");
        assertThat(pc.arch()).isEqualTo("amd64");
        assertThat(pc.kernelPackage()).isEqualTo("linux-image-amd64");
        assertThat(pc.loader()).isEqualTo("/lib64/ld-linux-x86-64.so.2");
        assertThat(pc.qemu()).isEqualTo("qemu-system-x86_64");
        assertThat(pc.qemuMachine()).isEqualTo("pc");
        assertThat(pc.nicModel()).isEqualTo("e1000");
        assertThat(pc.kernelFeatures()).contains("nic-e1000", "squashfs", "ide-root");
        assertThat(pc.hostPackages()).contains("qemu-system-x86");
        assertThat(TargetSpec.ids()).doesNotContain("pc-x86_64");
        assertThat(TargetSpec.exists("pc-x86_64")).isFalse();
        assertThatThrownBy(() -> TargetSpec.load("pc-x86_64")).hasMessageContaining("is not supported");
    }
}
