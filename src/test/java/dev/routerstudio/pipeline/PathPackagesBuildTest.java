package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Everyday tools on PATH (nano, less, htop, tcpdump on the example DHCP profile), built for real
 * (apt, Debian packages, mksquashfs) and looked at with unsquashfs: their data files, ncurses'
 * terminal database, tcpdump's user and group, the editor and pager alternatives, their
 * conffiles; and packages that cannot work on the router refused at resolve with the reason.
 * Package cache as FirmwareBuildTest (-Drouterstudio.pipeline.cache=DIR).
 */
class PathPackagesBuildTest {

    static final List<String> TOOLS = List.of("nano", "less", "htop", "tcpdump");

    static ProfileSpec withPackages(List<String> packages) {
        ProfileSpec d = TestProfiles.load("dhcp");
        return new ProfileSpec(d.name(), d.description(), d.hostname(), d.target(), d.interfaces(), d.wan(), packages, d.services(),
                d.settings(), d.files());
    }

    static final class Built {
        static final BuildResult RESULT;
        static final Path ROOT;
        static final List<String> LOG = new ArrayList<>();

        static {
            try {
                Path dir = FirmwareBuildTest.BASE.resolve("work-path");
                FileSystemUtils.deleteRecursively(dir);
                Files.createDirectories(dir);
                RESULT = new FirmwarePipeline().build(withPackages(TOOLS), BuildContext.of(dir, FirmwareBuildTest.CACHE, LOG::add, (s, f) -> { }));
                ROOT = FirmwareBuildTest.BASE.resolve("path-extracted");
                FileSystemUtils.deleteRecursively(ROOT);
                FirmwareBuildTest.run("unsquashfs", "-no-xattrs", "-q", "-d", ROOT.toString(), RESULT.artifact("rootfs.squashfs").path().toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Path in(String imagePath) {
        return Built.ROOT.resolve(imagePath.substring(1));
    }

    @Test
    void dataFilesAndConffilesComeAlongButNoDocsManPagesOrLocales() throws Exception {
        assertThat(in("/etc/nanorc")).isRegularFile();
        assertThat(in("/usr/share/nano/sh.nanorc")).isRegularFile();
        // ncurses' terminal database for the common terminals, from ncurses-base (which no Depends names)
        for (String t : List.of("x/xterm", "x/xterm-256color", "v/vt100", "v/vt220", "l/linux", "s/screen", "s/screen-256color",
                "t/tmux", "t/tmux-256color")) {
            assertThat(in("/lib/terminfo/" + t)).as(t).isRegularFile();
        }
        List<String> all;
        try (Stream<Path> s = Files.walk(Built.ROOT)) {
            all = s.map(p -> "/" + Built.ROOT.relativize(p)).toList();
        }
        assertThat(all).noneMatch(p -> p.startsWith("/usr/share/doc") || p.startsWith("/usr/share/man") || p.startsWith("/usr/share/info")
                || p.startsWith("/usr/share/locale") || p.startsWith("/etc/apparmor.d") || p.startsWith("/usr/share/applications")
                || p.startsWith("/usr/share/icons") || p.startsWith("/usr/share/pixmaps"));
        // the package's less, not busybox's applet of the same name
        assertThat(in("/usr/bin/less")).isRegularFile();
        assertThat(Files.isSymbolicLink(in("/usr/bin/less"))).isFalse();
    }

    @Test
    void maintainerScriptUsersAndGroupsExistUnderDebiansNames() throws Exception {
        List<String> passwd = Files.readAllLines(in("/etc/passwd"));
        List<String> group = Files.readAllLines(in("/etc/group"));
        String tcpdump = passwd.stream().filter(l -> l.startsWith("tcpdump:")).findFirst().orElseThrow();
        String[] f = tcpdump.split(":", -1);
        assertThat(f[5]).isEqualTo("/nonexistent");
        assertThat(f[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(group).anyMatch(l -> l.equals("tcpdump:x:" + f[3] + ":"));
        assertThat(Integer.parseInt(f[2])).isBetween(200, 899);
        // no name or id twice, and the studio's own accounts are still there
        assertThat(passwd.stream().map(l -> l.split(":")[0])).doesNotHaveDuplicates().contains("root", "nobody");
        assertThat(passwd.stream().map(l -> l.split(":")[2])).doesNotHaveDuplicates();
        assertThat(group.stream().map(l -> l.split(":")[0])).doesNotHaveDuplicates();
        assertThat(group.stream().map(l -> l.split(":")[2])).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(in("/etc/shadow"))).anyMatch(l -> l.startsWith("tcpdump:*:"));
    }

    @Test
    void postinstAlternativesResolveToTheInstalledPrograms() throws Exception {
        assertThat(Files.readSymbolicLink(in("/usr/bin/editor")).toString()).isEqualTo("/etc/alternatives/editor");
        assertThat(Files.readSymbolicLink(in("/etc/alternatives/editor")).toString()).isEqualTo("/bin/nano");
        assertThat(Files.readSymbolicLink(in("/usr/bin/pager")).toString()).isEqualTo("/etc/alternatives/pager");
        assertThat(Files.readSymbolicLink(in("/etc/alternatives/pager")).toString()).isEqualTo("/usr/bin/less");
        assertThat(Files.readSymbolicLink(in("/etc/alternatives/pico")).toString()).isEqualTo("/bin/nano");
        // slaves pointing at man pages (not in the image) are left out
        assertThat(in("/etc/alternatives/editor.1.gz")).doesNotExist();
        assertThat(Built.LOG).anyMatch(l -> l.contains("setup: alternative editor -> /bin/nano (nano)"));
    }

    @Test
    void sizeChartShowsDataFilesPerPackage() {
        List<String> names = Built.RESULT.sizeByPackage().stream().map(BuildResult.SizeEntry::name).toList();
        assertThat(names).contains("nano", "nano data", "ncurses-base data", "tcpdump (slim)", "htop");
        long nanoData = Built.RESULT.sizeByPackage().stream().filter(s -> s.name().equals("nano data")).findFirst().orElseThrow().bytes();
        assertThat(nanoData).isBetween(50_000L, 200_000L);
        System.out.println("path tools image: rootfs.squashfs " + Built.RESULT.artifact("rootfs.squashfs").size() + " B; by package: "
                + Built.RESULT.sizeByPackage());
        // the SBOM still names packages, not their data bars
        assertThat(Built.RESULT.packages()).filteredOn(BuildResult.PackageVersion::inImage).extracting(BuildResult.PackageVersion::name)
                .contains("ncurses-base", "nano").doesNotContain("nano data");
    }

    @Test
    void aPackageThatNeedsSystemdIsRefusedAtResolveWithTheReason() throws Exception {
        Built.RESULT.specHash(); // the lists are there by now
        Path dir = FirmwareBuildTest.BASE.resolve("work-refused");
        Files.createDirectories(dir);
        BuildContext ctx = BuildContext.of(dir, FirmwareBuildTest.CACHE, l -> { }, (s, f) -> { });
        List<String> stages = new ArrayList<>();
        BuildContext staged = BuildContext.of(dir, FirmwareBuildTest.CACHE, l -> { }, (s, f) -> stages.add(s));
        assertThatThrownBy(() -> new FirmwarePipeline().build(withPackages(List.of("nano", "systemd-timesyncd")), staged))
                .isInstanceOf(PipelineException.class)
                .hasMessage("package 'systemd-timesyncd' cannot work on the router: it depends on 'systemd', which "
                        + "needs systemd as PID 1; the router runs s6 (stage 1 and s6-svscan), so its units never start");
        assertThat(stages).doesNotContain("unpack");
        assertThatThrownBy(() -> new FirmwarePipeline().build(withPackages(List.of("systemd")), ctx))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("package 'systemd' cannot work on the router: needs systemd as PID 1");
    }
}
