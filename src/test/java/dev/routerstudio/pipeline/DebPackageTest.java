package dev.routerstudio.pipeline;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebPackageTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path tmp;

    @Test
    void readsControlAndExtractsDataWithModesAndLinks() throws Exception {
        Path deb = tmp.resolve("demo_1.0-1_mipsel.deb");
        writeDeb(deb, "Package: demo\nVersion: 1:1.0-1\nArchitecture: mipsel\nDescription: demo\n more text\n",
                tar -> {
                    dir(tar, "./usr/");
                    dir(tar, "./usr/sbin/");
                    file(tar, "./usr/sbin/pppd", 04754, "binary");
                    symlink(tar, "./usr/sbin/pppd-link", "pppd");
                    TarArchiveEntry hard = new TarArchiveEntry("./usr/sbin/pppd-hard", TarArchiveEntry.LF_LINK);
                    hard.setLinkName("./usr/sbin/pppd");
                    tar.putArchiveEntry(hard);
                    tar.closeArchiveEntry();
                });
        assertThat(DebPackage.control(deb)).containsEntry("Package", "demo").containsEntry("Version", "1:1.0-1")
                .containsEntry("Description", "demo\nmore text");
        List<DebPackage.DebEntry> entries = DebPackage.extractData(deb, tmp.resolve("out"));
        assertThat(entries).contains(new DebPackage.DebEntry("/usr/sbin/pppd", FsEntry.Kind.FILE, 04754, null),
                new DebPackage.DebEntry("/usr/sbin/pppd-link", FsEntry.Kind.SYMLINK, 0777, "pppd"),
                new DebPackage.DebEntry("/usr/sbin/pppd-hard", FsEntry.Kind.FILE, 04754, null));
        assertThat(Files.readString(tmp.resolve("out/usr/sbin/pppd-hard"))).isEqualTo("binary");
        assertThat(Files.readSymbolicLink(tmp.resolve("out/usr/sbin/pppd-link")).toString()).isEqualTo("pppd");
    }

    @Test
    void refusesPathsOutsideTheRoot() throws Exception {
        Path deb = tmp.resolve("evil_1_mipsel.deb");
        writeDeb(deb, "Package: evil\n", tar -> file(tar, "./../../escaped", 0644, "x"));
        assertThatThrownBy(() -> DebPackage.extractData(deb, tmp.resolve("out")))
                .hasMessageContaining("outside its root");
        assertThat(tmp.resolve("escaped")).doesNotExist();
    }

    interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    static void writeDeb(Path deb, String control, TarBody data) throws IOException {
        ByteArrayOutputStream controlTar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(controlTar))) {
            file(tar, "./control", 0644, control);
        }
        ByteArrayOutputStream dataTar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(dataTar, new LZMA2Options()))) {
            data.write(tar);
        }
        try (OutputStream os = Files.newOutputStream(deb); ArArchiveOutputStream ar = new ArArchiveOutputStream(os)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.gz", controlTar.toByteArray());
            member(ar, "data.tar.xz", dataTar.toByteArray());
        }
    }

    static void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
        ar.write(bytes);
        ar.closeArchiveEntry();
    }

    static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    static void file(TarArchiveOutputStream tar, String name, int mode, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
