package dev.routerstudio.pipeline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initramfs's upgrade rule (image-pipeline/initramfs/upgrade-store), run by Debian's busybox
 * (the image's version, amd64 here; bin/setup installs it) with nothing but its applets on PATH,
 * over real trees: an old and a new firmware's file lists and a store's upper layer.
 */
class UpgradeStoreTest {

    static final Path BASE = Path.of("target", "upgrade-store-test").toAbsolutePath();
    static Path applets;

    @BeforeAll
    static void busybox() throws Exception {
        assertThat(Path.of("/bin/busybox")).as("Debian's busybox (bin/setup installs it)").isExecutable();
        org.springframework.util.FileSystemUtils.deleteRecursively(BASE);
        applets = Files.createDirectories(BASE.resolve("applets"));
        assertThat(run(List.of("/bin/busybox", "--install", "-s", applets.toString()), Map.of())).isEmpty();
        Files.copy(Path.of("image-pipeline/initramfs/upgrade-store"), BASE.resolve("upgrade-store"));
    }

    /** A firmware's /etc/firmware.sums for these files, as {@link RootfsStage#addFirmwareSums} writes it. */
    static String sums(Map<String, String> files) {
        RootfsLayout root = new RootfsLayout();
        files.forEach((path, text) -> root.put(FsEntry.text(path, 0644, text, "test")));
        RootfsStage.addFirmwareSums(root);
        return new String(root.get(RootfsStage.FIRMWARE_SUMS).content(), StandardCharsets.UTF_8);
    }

    static Path fresh(String name) throws IOException {
        Path dir = BASE.resolve(name);
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("rom/etc"));
        Files.createDirectories(dir.resolve("store/upper"));
        return dir;
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static String run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(BASE.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", applets == null ? "/bin" : applets.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static String upgradeStore(Path dir) throws Exception {
        return run(List.of(applets.resolve("sh").toString(), "upgrade-store", dir.resolve("rom").toString(), dir.resolve("store").toString()), Map.of());
    }

    static final Map<String, String> OLD = new TreeMap<>(Map.of(
            "/etc/a.conf", "a 1\n", "/etc/b.conf", "b 1\n", "/etc/c.conf", "c 1\n", "/usr/bin/tool", "tool 1\n",
            "/etc/sp ace.conf", "s 1\n"));
    static final Map<String, String> NEW = new TreeMap<>(Map.of(
            "/etc/a.conf", "a 2\n", "/etc/b.conf", "b 1\n", "/etc/c.conf", "c 2\n", "/usr/bin/tool", "tool 2\n",
            "/etc/sp ace.conf", "s 1\n", "/etc/new.conf", "new\n"));

    @Test
    void anUpgradeDropsStaleCopiesKeepsTheUsersChangesAndSaysWhichShadowANewFile() throws Exception {
        Path d = fresh("upgrade");
        write(d.resolve("rom/etc/firmware.sums"), sums(NEW));
        write(d.resolve("store/firmware.sums"), sums(OLD));
        Path upper = d.resolve("store/upper");
        write(upper.resolve("etc/a.conf"), "a 1\n");            // copied up, content unchanged: stale
        write(upper.resolve("usr/bin/tool"), "tool 1\n");       // the same outside /etc
        write(upper.resolve("etc/sp ace.conf"), "s 1\n");       // a blank in the path
        write(upper.resolve("etc/b.conf"), "b mine\n");         // the user's; the new firmware kept b as it was
        write(upper.resolve("etc/c.conf"), "c mine\n");         // the user's; the new firmware changed c too
        write(upper.resolve("etc/mine"), "mine\n");             // the user's own file
        write(upper.resolve("etc/firmware.sums"), sums(OLD));   // a copy of the old list (a touch)
        Files.createSymbolicLink(upper.resolve("etc/link"), Path.of("mine"));

        String out = upgradeStore(d);

        assertThat(upper.resolve("etc/a.conf")).doesNotExist();
        assertThat(upper.resolve("usr/bin/tool")).doesNotExist();
        assertThat(upper.resolve("etc/sp ace.conf")).doesNotExist();
        assertThat(upper.resolve("etc/firmware.sums")).doesNotExist();
        assertThat(upper.resolve("etc/b.conf")).hasContent("b mine");
        assertThat(upper.resolve("etc/c.conf")).hasContent("c mine");
        assertThat(upper.resolve("etc/mine")).hasContent("mine");
        assertThat(Files.isSymbolicLink(upper.resolve("etc/link"))).isTrue();
        assertThat(d.resolve("store/firmware.sums")).hasSameTextualContentAs(d.resolve("rom/etc/firmware.sums"));
        assertThat(d.resolve("store/upgrade.files")).doesNotExist();
        assertThat(out).contains("initramfs: upgrade: your /etc/c.conf stays over the new firmware's, which changed it too")
                .doesNotContain("/etc/b.conf").doesNotContain("/etc/mine")
                .contains("initramfs: upgrade: new firmware on the writable store; 3 unchanged copies dropped, 3 changed files kept");

        // Booted again on the same firmware: nothing to do, nothing said, the user's files stay.
        assertThat(upgradeStore(d)).isEmpty();
        assertThat(upper.resolve("etc/c.conf")).hasContent("c mine");
    }

    @Test
    void aStoreSeenForTheFirstTimeOnlyRecordsTheFirmware() throws Exception {
        Path d = fresh("first");
        write(d.resolve("rom/etc/firmware.sums"), sums(NEW));
        Path upper = d.resolve("store/upper");
        write(upper.resolve("etc/b.conf"), "b 1\n");
        assertThat(upgradeStore(d)).isEmpty();
        assertThat(upper.resolve("etc/b.conf")).hasContent("b 1");
        assertThat(d.resolve("store/firmware.sums")).hasSameTextualContentAs(d.resolve("rom/etc/firmware.sums"));
    }

    @Test
    void aFirmwareWithoutAListLeavesTheStoreAlone() throws Exception {
        Path d = fresh("unlisted");
        write(d.resolve("store/firmware.sums"), sums(OLD));
        write(d.resolve("store/upper/etc/a.conf"), "a 1\n");
        assertThat(upgradeStore(d)).isEmpty();
        assertThat(d.resolve("store/upper/etc/a.conf")).exists();
        assertThat(d.resolve("store/firmware.sums")).hasContent(sums(OLD).strip());
    }

    @Test
    void theListHoldsEveryRegularFileButItselfSortedByPathInSha256sumsFormat() {
        String s = sums(Map.of("/etc/b", "b\n", "/etc/a", "a\n"));
        assertThat(s).isEqualTo(SpecHash.sha256("a\n".getBytes(StandardCharsets.UTF_8)) + "  /etc/a\n"
                + SpecHash.sha256("b\n".getBytes(StandardCharsets.UTF_8)) + "  /etc/b\n");
    }
}
