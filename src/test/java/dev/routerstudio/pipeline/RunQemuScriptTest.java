package dev.routerstudio.pipeline;

import dev.routerstudio.lab.MachineSpec;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's run-qemu.sh, run for real with a stand-in qemu-system-mipsel that prints its
 * arguments: the same command line the lab starts, the cards only when their sockets are named,
 * extra arguments last, TMPDIR defaulting beside the script.
 */
class RunQemuScriptTest {

    static final Path DIR = Path.of("target", "tmp", "run-qemu test").toAbsolutePath();

    List<String> run(Map<String, String> env, String... extra) throws Exception {
        Path bundle = DIR.resolve("firmware");
        Path bin = DIR.resolve("bin");
        TargetSpec target = TargetSpec.load("malta-mipsel");
        new BundleStage().runQemu(target, bundle.resolve("run-qemu.sh"));
        Path fake = bin.resolve(target.qemu());
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\necho \"TMPDIR=$TMPDIR\"\n");
        fake.toFile().setExecutable(true);
        List<String> cmd = new java.util.ArrayList<>(List.of(bundle.resolve("run-qemu.sh").toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("TMPDIR");
        pb.environment().remove("WAN_SOCKET");
        pb.environment().remove("LAN_SOCKET");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void theScriptRunsTheLabsCommandLineWithTheBundlesFiles() throws Exception {
        FileSystemUtils.deleteRecursively(DIR);
        Files.createDirectories(DIR.resolve("firmware"));
        Files.createDirectories(DIR.resolve("bin"));
        Path bundle = DIR.resolve("firmware");

        List<String> plain = run(Map.of(), "-s");
        TargetSpec t = TargetSpec.load("malta-mipsel");
        // The lab's router without its -name and console socket is exactly what the script runs.
        List<String> lab = new MachineSpec("router", t, t.memoryMb(), bundle.resolve("vmlinuz"), bundle.resolve("initramfs.cpio.xz"),
                List.of(new MachineSpec.Disk(bundle.resolve("rootfs.squashfs"), true)), List.of())
                .commandLine(DIR.resolve("c.sock"), "x");
        List<String> expected = new java.util.ArrayList<>(lab.subList(1, lab.indexOf("-name")));
        expected.addAll(lab.subList(lab.indexOf("-name") + 2, lab.indexOf("-chardev")));
        expected.addAll(List.of("-serial", "stdio", "-s", "TMPDIR=" + bundle.resolve("tmp")));
        assertThat(plain).containsExactlyElementsOf(expected);
        assertThat(plain).doesNotContain("-netdev");

        List<String> wired = run(Map.of("WAN_SOCKET", DIR.resolve("access.sock").toString(), "LAN_SOCKET", DIR.resolve("lan.sock").toString(),
                "TMPDIR", DIR.resolve("own-tmp").toString()));
        assertThat(wired).containsSequence("-netdev", "stream,id=wan,server=off,addr.type=unix,addr.path=" + DIR.resolve("access.sock"),
                "-device", "pcnet,netdev=wan,mac=52:54:00:00:01:01,romfile=",
                "-netdev", "stream,id=lan,server=off,addr.type=unix,addr.path=" + DIR.resolve("lan.sock"),
                "-device", "pcnet,netdev=lan,mac=52:54:00:00:02:01,romfile=", "-serial", "stdio");
        assertThat(wired.get(wired.size() - 1)).isEqualTo("TMPDIR=" + DIR.resolve("own-tmp"));
        assertThat(String.join(" ", wired)).doesNotContain("user,").doesNotContain("mcast");
    }
}
