package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uploaded bundles: what is unpacked, and every way a bad one is refused before anything boots. */
class FirmwareBundleTest {

    static final Path DIR = Path.of("target", "tmp", "firmware-bundle").toAbsolutePath();

    /** A tar of name → content; a content of null is a symbolic link to /etc/passwd. */
    static byte[] tar(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                TarArchiveEntry te;
                if (e.getValue() == null) {
                    te = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    te.setLinkName("/etc/passwd");
                    t.putArchiveEntry(te);
                } else {
                    // Commons Compress normalizes names it is given; a raw name keeps "../" and "/" as a hostile tool would write them.
                    te = new TarArchiveEntry(e.getKey(), true);
                    byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                    te.setSize(b.length);
                    t.putArchiveEntry(te);
                    t.write(b);
                }
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** A bundle with every file a lab needs; the binaries are stand-ins (nothing boots here). */
    static Map<String, String> good() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("firmware/", "");
        m.put("firmware/vmlinuz", "kernel");
        m.put("firmware/initramfs.cpio.xz", "initramfs");
        m.put("firmware/rootfs.squashfs", "root");
        m.put("firmware/lab.json", LabDescription.of(LabFixtures.pppoe("pw")).json());
        m.put("firmware/services/console/run", "#!/bin/sh\n");
        return m;
    }

    Path write(byte[] bytes) throws IOException {
        Path f = DIR.resolve("upload.tar");
        Files.write(f, bytes);
        return f;
    }

    @BeforeEach
    void clean() throws IOException {
        FileSystemUtils.deleteRecursively(DIR);
        Files.createDirectories(DIR);
    }

    @Test
    void aGoodBundleUnpacksOnlyWhatTheLabBoots() throws Exception {
        LabRequest req = FirmwareBundle.unpack(write(tar(good())), DIR.resolve("lab"), "upload-x");
        assertThat(req.lab()).isEqualTo(LabDescription.of(LabFixtures.pppoe("pw")));
        assertThat(req.kernel()).hasContent("kernel");
        assertThat(req.rootfs()).hasContent("root");
        try (var files = Files.list(DIR.resolve("lab"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("initramfs.cpio.xz", "lab.json", "rootfs.squashfs", "vmlinuz");
        }
    }

    @Test
    void badBundlesAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> FirmwareBundle.unpack(write("{\"not\":\"a tar\"}".repeat(100).getBytes()), DIR.resolve("a"), "x"))
                .isInstanceOf(FirmwareBundle.InvalidBundleException.class).hasMessageContaining("is not a tar archive");

        Map<String, String> noLab = good();
        noLab.remove("firmware/lab.json");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(noLab)), DIR.resolve("b"), "x"))
                .hasMessageContaining("the bundle has no firmware/lab.json");

        Map<String, String> climbing = good();
        climbing.put("firmware/../../evil", "x");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(climbing)), DIR.resolve("c"), "x"))
                .hasMessageContaining("entry 'firmware/../../evil' climbs out of the bundle");
        assertThat(DIR.resolve("evil")).doesNotExist();

        Map<String, String> absolute = good();
        absolute.put("/etc/cron.d/x", "x");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(absolute)), DIR.resolve("d"), "x"))
                .hasMessageContaining("absolute");

        Map<String, String> link = good();
        link.put("firmware/vmlinuz", null);
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(link)), DIR.resolve("e"), "x"))
                .hasMessageContaining("is not a plain file or folder");

        Map<String, String> outside = good();
        outside.put("other/vmlinuz", "x");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(outside)), DIR.resolve("f"), "x"))
                .hasMessageContaining("is outside firmware/");

        Map<String, String> unknownTarget = good();
        unknownTarget.put("firmware/lab.json", unknownTarget.get("firmware/lab.json").replace("malta-mipsel", "sparc-sun"));
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(unknownTarget)), DIR.resolve("g"), "x"))
                .hasMessageContaining("firmware/lab.json: target 'sparc-sun' is not one of this studio's targets");

        Map<String, String> garbled = good();
        garbled.put("firmware/lab.json", "{\"format\":");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(garbled)), DIR.resolve("h"), "x"))
                .hasMessageContaining("firmware/lab.json is not a lab description");

        Map<String, String> noPassword = good();
        noPassword.put("firmware/lab.json", noPassword.get("firmware/lab.json").replace("\"password\"", "\"passwort\""));
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(noPassword)), DIR.resolve("j"), "x"))
                .hasMessageContaining("firmware/lab.json: the values for peer isp-pppoe do not fit its files")
                .hasMessageContaining("'password'");

        Map<String, String> empty = good();
        empty.put("firmware/rootfs.squashfs", "");
        assertThatThrownBy(() -> FirmwareBundle.unpack(write(tar(empty)), DIR.resolve("i"), "x"))
                .hasMessageContaining("firmware/rootfs.squashfs in the bundle is empty");
    }
}
