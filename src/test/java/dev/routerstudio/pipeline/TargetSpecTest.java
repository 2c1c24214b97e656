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
}
