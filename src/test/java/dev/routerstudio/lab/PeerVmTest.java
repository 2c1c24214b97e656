package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.profile.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The peer VM store: what it takes, what it refuses and why, and that a refusal leaves nothing behind. */
public class PeerVmTest {

    @TempDir
    Path tmp;

    static PeerVm.Descriptor descriptor(String name, String arch) {
        return new PeerVm.Descriptor(name, null, arch, null, null, null, "peer: role isp-pppoe ready", null,
                List.of("printf '%s * %s *\\n' {{sh:username}} {{sh:password}} > /etc/ppp/chap-secrets"), null, null);
    }

    Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static PeerVmStore.Upload copyOf(Path p) {
        return dest -> Files.copy(p, dest);
    }

    /** The first bytes of a raw disk with an MBR (the boot signature at 510). */
    static byte[] mbrDisk() {
        byte[] b = new byte[4096];
        b[510] = 0x55;
        b[511] = (byte) 0xaa;
        return b;
    }

    static byte[] qcow2() {
        byte[] b = new byte[1024];
        b[0] = 'Q';
        b[1] = 'F';
        b[2] = 'I';
        b[3] = (byte) 0xfb;
        return b;
    }

    /** An x86 bzImage's setup header: "HdrS" at 0x202, xloadflags bit 0 (a 64-bit entry) at 0x236. */
    static byte[] bzImage() {
        byte[] b = new byte[0x400];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, b, 0x202, 4);
        b[0x236] = 1;
        return b;
    }

    /** An ELF header: class, data (1 little, 2 big) and e_machine (8: MIPS, 62: x86_64). */
    public static byte[] elf(int machine, boolean little) {
        byte[] b = new byte[64];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 1;
        b[5] = (byte) (little ? 1 : 2);
        b[little ? 18 : 19] = (byte) machine;
        return b;
    }

    @Test
    void disksAreKnownByTheirFirstBytesAndAnythingElseIsNoDisk() throws IOException {
        assertThat(PeerVmStore.diskFormat(file("q", qcow2()))).isEqualTo("qcow2");
        assertThat(PeerVmStore.diskFormat(file("m", mbrDisk()))).isEqualTo("raw");
        byte[] squashfs = new byte[512];
        System.arraycopy("hsqs".getBytes(StandardCharsets.US_ASCII), 0, squashfs, 0, 4);
        assertThat(PeerVmStore.diskFormat(file("s", squashfs))).isEqualTo("raw");
        byte[] ext = new byte[2048];
        ext[1080] = 0x53;
        ext[1081] = (byte) 0xef;
        assertThat(PeerVmStore.diskFormat(file("e", ext))).isEqualTo("raw");
        byte[] iso = new byte[40000];
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, iso, 32769, 5);
        assertThat(PeerVmStore.diskFormat(file("i", iso))).isEqualTo("raw");
        assertThat(PeerVmStore.diskFormat(file("t", "just some text, no disk\n".repeat(100).getBytes(StandardCharsets.UTF_8)))).isNull();
        assertThat(PeerVmStore.diskFormat(file("z", new byte[0]))).isNull();
        assertThat(PeerVmStore.diskFormat(file("k", bzImage()))).isNull();
    }

    @Test
    void kernelsSayTheirCpu() throws IOException {
        assertThat(PeerVmStore.kernelArch(file("bz", bzImage()))).isEqualTo("x86_64");
        assertThat(PeerVmStore.kernelArch(file("mipsel", elf(8, true)))).isEqualTo("mipsel");
        assertThat(PeerVmStore.kernelArch(file("mips", elf(8, false)))).isEqualTo("mips");
        assertThat(PeerVmStore.kernelArch(file("x64", elf(62, true)))).isEqualTo("x86_64");
        assertThat(PeerVmStore.kernelArch(file("txt", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)))).isNull();
        assertThat(PeerVmStore.kernelArch(file("disk", qcow2()))).isNull();
    }

    @Test
    void aGoodUploadIsStoredListedAndDeleted() throws IOException {
        PeerVmStore store = new PeerVmStore(tmp.resolve("peer-vms"));
        PeerVm vm = store.add(descriptor("accel-ppp", "x86_64"), copyOf(file("d", qcow2())), copyOf(file("k", bzImage())),
                copyOf(file("i", new byte[]{1, 2, 3})));
        assertThat(vm.diskFormat()).isEqualTo("qcow2");
        assertThat(vm.kernelBoot()).isTrue();
        assertThat(vm.view().boot()).isEqualTo("kernel");
        assertThat(vm.view().append()).isEqualTo("console=ttyS0");
        assertThat(vm.view().initrdBytes()).isEqualTo(3);
        assertThat(store.list()).extracting(PeerVm::name).containsExactly("accel-ppp");
        assertThat(store.find("accel-ppp").orElseThrow().descriptor()).isEqualTo(vm.descriptor());
        // a second with the name is refused (409) and the first stays as it was
        assertThatThrownBy(() -> store.add(descriptor("accel-ppp", "x86_64"), copyOf(file("d2", mbrDisk())), null, null))
                .isInstanceOfSatisfying(PeerVmStore.PeerVmException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(409);
                    assertThat(e.violations()).extracting(Violation::field).containsExactly("name");
                });
        assertThat(store.get("accel-ppp").diskFormat()).isEqualTo("qcow2");
        // an x86_64 VM without a kernel boots its disk
        PeerVm disk = store.add(descriptor("openwrt", "x86_64"), copyOf(file("d3", mbrDisk())), null, null);
        assertThat(disk.kernelBoot()).isFalse();
        assertThat(disk.view().boot()).isEqualTo("disk");
        assertThat(store.delete("accel-ppp")).isTrue();
        assertThat(store.delete("accel-ppp")).isFalse();
        assertThat(store.list()).extracting(PeerVm::name).containsExactly("openwrt");
        assertThat(leftovers(store)).isEmpty();
    }

    @Test
    void aBadUploadIsRefusedWithEveryReasonAndLeavesNothing() throws IOException {
        PeerVmStore store = new PeerVmStore(tmp.resolve("peer-vms"));
        // not a disk
        assertRefused(() -> store.add(descriptor("p1", "x86_64"), copyOf(file("t", "hello\n".repeat(1000).getBytes(StandardCharsets.UTF_8))),
                null, null), "disk", "is not a disk image");
        // the wrong CPU: a MIPS kernel for an x86_64 peer, an x86 one for a mipsel peer
        assertRefused(() -> store.add(descriptor("p2", "x86_64"), copyOf(file("d", qcow2())), copyOf(file("k", elf(8, true))), null),
                "kernel", "is a kernel for mipsel, but arch is x86_64");
        assertRefused(() -> store.add(descriptor("p3", "mipsel"), copyOf(file("d2", qcow2())), copyOf(file("k2", bzImage())), null),
                "kernel", "is a kernel for x86_64, but arch is mipsel");
        // a mipsel peer cannot boot its disk: Malta has no firmware for that
        assertRefused(() -> store.add(descriptor("p4", "mipsel"), copyOf(file("d3", qcow2())), null, null), "kernel", "boots from a kernel");
        // a qcow2 that would have QEMU open a file of the host: a backing file, an external data file
        byte[] backed = qcow2();
        backed[7] = 3;
        backed[15] = (byte) 0x80;
        System.arraycopy("/etc/shadow".getBytes(StandardCharsets.US_ASCII), 0, backed, 0x80, 11);
        backed[19] = 11;
        assertRefused(() -> store.add(descriptor("p6", "x86_64"), copyOf(file("b", backed)), null, null), "disk", "with a backing file");
        byte[] external = qcow2();
        external[7] = 3;
        external[79] = 0b100;
        assertRefused(() -> store.add(descriptor("p7", "x86_64"), copyOf(file("x", external)), null, null), "disk", "external data file");
        // no disk; an initrd without a kernel
        assertRefused(() -> store.add(descriptor("p5", "x86_64"), null, null, copyOf(file("i", new byte[]{1}))), "disk", "upload the peer's disk");
        // the descriptor's own fields, every one named
        PeerVm.Descriptor bad = new PeerVm.Descriptor("Bad Name", "x\ny", "sparc", 8, "a\u0007b", 9, "([", 1,
                List.of("echo {{bash:password}}", "echo\tok\u0000"), null, null);
        assertThatThrownBy(() -> store.add(bad, copyOf(file("d4", qcow2())), copyOf(file("k4", bzImage())), null))
                .isInstanceOfSatisfying(PeerVmStore.PeerVmException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(400);
                    assertThat(e.violations()).extracting(Violation::field).containsExactlyInAnyOrder("name", "description", "arch", "memoryMb",
                            "append", "accessNic", "ready", "readySeconds", "consoleLines[0]", "consoleLines[1]");
                    assertThat(e.violations()).filteredOn(v -> v.field().equals("arch")).first().extracting(Violation::message).asString()
                            .contains("mipsel").contains("x86_64");
                    assertThat(e.violations()).filteredOn(v -> v.field().equals("consoleLines[0]")).first().extracting(Violation::message)
                            .asString().contains("bash");
                });
        assertThat(store.list()).isEmpty();
        assertThat(leftovers(store)).isEmpty();
    }

    private static List<Path> leftovers(PeerVmStore store) throws IOException {
        if (!Files.isDirectory(store.dir())) {
            return List.of();
        }
        try (var s = Files.list(store.dir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PeerVmStore.PeerVmException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(e.violations()).anySatisfy(v -> {
                assertThat(v.field()).isEqualTo(field);
                assertThat(v.message()).contains(message);
            });
        });
    }

    /**
     * The console lines are typed into a shell: a hostile password goes through the shell's
     * quoting, and sh reading the rendered line back prints exactly the password.
     */
    @Test
    void consoleLinesQuoteTheLabsValuesForTheShell() throws Exception {
        PeerVm vm = new PeerVm(descriptor("p", "x86_64"), tmp.resolve("disk"), "raw", 0, null, null, null);
        List<String> lines = vm.consoleLines(Map.of("username", "user@isp", "password", PeerConfigTest.HOSTILE));
        assertThat(lines).hasSize(1);
        String line = lines.get(0).replace(" > /etc/ppp/chap-secrets", "");
        Process p = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo("user@isp * " + PeerConfigTest.HOSTILE + " *\n");
        // a value the lab does not have is named, with those it has
        PeerVm other = new PeerVm(new PeerVm.Descriptor("p", null, "x86_64", null, null, null, "ok", null, List.of("echo {{sh:secret}}"),
                null, null), tmp.resolve("disk"), "raw", 0, null, null, null);
        assertThatThrownBy(() -> other.consoleLines(Map.of("username", "u"))).hasMessageContaining("consoleLines[0]")
                .hasMessageContaining("'secret'").hasMessageContaining("username");
    }

    /**
     * What a lab against a user's VM leaves out: checks that type into the ISP's console, the world
     * page's and IPv6's when the VM serves neither, and what needs a check left out; never the
     * router's own checks.
     */
    @Test
    void checksThatNeedTheIspsShellOrWhatTheVmDoesNotServeAreLeftOutWithWhy() {
        List<String> pppoe = LabDescription.of(LabFixtures.pppoe("pw")).checks();
        PeerVm plain = new PeerVm(descriptor("p", "x86_64"), tmp.resolve("disk"), "raw", 0, null, null, null);
        Map<String, String> out = plain.checksLeftOut(pppoe);
        assertThat(out.keySet()).contains("wan-closed", "no-forward-in", "isp-restart", "lan-nat", "ipv6-wan", "ipv6-lan", "lossy-line",
                "restart-ipv6").doesNotContain("boot", "link", "wan-up-ppp", "routes", "dns", "lan-lease", "restart", "link-loss-ppp",
                "persist", "shutdown");
        assertThat(out.get("wan-closed")).contains("ISP's console");
        assertThat(out.get("lan-nat")).contains("world");
        assertThat(out.get("ipv6-wan")).contains("IPv6");
        PeerVm full = new PeerVm(new PeerVm.Descriptor("p", null, "x86_64", null, null, null, "ok", null, List.of(), true, true),
                tmp.resolve("disk"), "raw", 0, null, null, null);
        assertThat(full.checksLeftOut(pppoe).keySet()).containsOnly("wan-closed", "no-forward-in", "isp-restart", "port-forward")
                .contains("wan-closed", "no-forward-in", "isp-restart");
        // DHCP: the router's own WAN check stays; the ISP's lease table is read by a check of its own, left out
        List<String> dhcp = LabDescription.of(LabFixtures.dhcp()).checks();
        assertThat(full.checksLeftOut(dhcp).keySet()).contains("isp-lease").doesNotContain("wan-up-dhcp", "routes", "lan-nat");
        assertThat(full.checksLeftOut(dhcp)).containsEntry("isp-lease", "it runs commands on the ISP's console, and the ISP is your VM");
        // a VM with IPv6 and no world page: the IPv6 WAN check stays, the page over IPv6 goes
        PeerVm v6 = new PeerVm(new PeerVm.Descriptor("p", null, "x86_64", null, null, null, "ok", null, List.of(), false, true),
                tmp.resolve("disk"), "raw", 0, null, null, null);
        assertThat(v6.checksLeftOut(pppoe).keySet()).contains("ipv6-lan", "lan-nat", "lossy-line").doesNotContain("ipv6-wan", "restart-ipv6");
    }
    /**
     * Every string of the hostile corpus in every text field of the descriptor: refused with a
     * field error, or stored and read back exactly; never an exception of another kind, never a
     * half-written peer.
     */
    @Test
    void everyHostileStringInEveryDescriptorFieldIsRefusedOrKeptExactly() throws IOException {
        PeerVmStore store = new PeerVmStore(tmp.resolve("hostile"));
        Path disk = file("hd", qcow2());
        Path kernel = file("hk", bzImage());
        int stored = 0;
        for (String h : dev.routerstudio.HostileCorpus.strings()) {
            for (int field = 0; field < 5; field++) {
                PeerVm.Descriptor d = new PeerVm.Descriptor(field == 0 ? h : "p", field == 1 ? h : null, "x86_64", null,
                        field == 2 ? h : null, null, field == 3 ? h : "ready", null, field == 4 ? java.util.Collections.singletonList(h) : List.of(),
                        null, null);
                try {
                    PeerVm vm = store.add(d, copyOf(disk), copyOf(kernel), null);
                    assertThat(store.get(vm.name()).descriptor()).as(dev.routerstudio.HostileCorpus.describe(h)).isEqualTo(d);
                    assertThat(store.delete(vm.name())).isTrue();
                    stored++;
                } catch (PeerVmStore.PeerVmException e) {
                    assertThat(e.getStatusCode().value()).isEqualTo(400);
                    assertThat(e.violations()).isNotEmpty();
                }
            }
        }
        assertThat(stored).as("some hostile strings are fine values").isPositive();
        assertThat(store.list()).isEmpty();
        assertThat(leftovers(store)).isEmpty();
    }
}
