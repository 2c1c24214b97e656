package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Maintainer scripts as Debian bookworm ships them (excerpts), read into users, groups, alternatives and shells. */
class MaintainerScriptsTest {

    static final String TCPDUMP_POSTINST = """
            #!/bin/sh
            set -e
            if ! getent group tcpdump >/dev/null 2>&1; then
                addgroup --system --quiet tcpdump
            fi
            if ! getent passwd tcpdump >/dev/null 2>&1; then
                adduser --system --quiet --ingroup tcpdump\t\t\\
            \t    --no-create-home --home /nonexistent\t\\
            \t    tcpdump
            fi
            # adduser --system nobody-in-a-comment
            echo "adduser --system not-a-command"
            """;

    static final String NANO_POSTINST = """
            if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ]; then
                update-alternatives --install /usr/bin/editor editor /bin/nano 40 \\
                  --slave /usr/share/man/man1/editor.1.gz editor.1.gz \\
                  /usr/share/man/man1/nano.1.gz
                update-alternatives --install /usr/bin/pico pico /bin/nano 10 \\
                  --slave /usr/share/man/man1/pico.1.gz pico.1.gz \\
                  /usr/share/man/man1/nano.1.gz
            fi
            """;

    @Test
    void tcpdumpsUserAndGroupAreReadAndCommentsAndStringsAreNot() {
        MaintainerScripts s = MaintainerScripts.parse("tcpdump", Map.of("postinst", TCPDUMP_POSTINST), Map.of());
        assertThat(s.groups()).containsExactly(new MaintainerScripts.Group("tcpdump", null));
        assertThat(s.users()).containsExactly(new MaintainerScripts.User("tcpdump", null, "tcpdump", false, "/nonexistent",
                "/usr/sbin/nologin", null));
    }

    @Test
    void alternativesWithSlavesAndShells() {
        MaintainerScripts s = MaintainerScripts.parse("nano", Map.of("postinst", NANO_POSTINST + "add-shell /usr/bin/tmux\n"), Map.of());
        assertThat(s.alternatives()).hasSize(2);
        assertThat(s.alternatives().get(0).master()).isEqualTo(new MaintainerScripts.Link("/usr/bin/editor", "editor", "/bin/nano"));
        assertThat(s.alternatives().get(0).priority()).isEqualTo(40);
        assertThat(s.alternatives().get(0).slaves()).containsExactly(
                new MaintainerScripts.Link("/usr/share/man/man1/editor.1.gz", "editor.1.gz", "/usr/share/man/man1/nano.1.gz"));
        assertThat(s.shells()).containsExactly("/usr/bin/tmux");
    }

    @Test
    void useraddGroupaddAndSysusersD() {
        MaintainerScripts s = MaintainerScripts.parse("x", Map.of("preinst",
                        "groupadd -r grp\nuseradd -r -d /var/lib/svc -s /bin/false -c 'A service' svc\nuseradd -r -g grp -N other\n"),
                Map.of("/usr/lib/sysusers.d/x.conf", "# comment\ng sysgrp -\nu sysusr 321 \"Sys user\" /var/lib/sysusr\nm sysusr dialout\n"));
        assertThat(s.groups()).extracting(MaintainerScripts.Group::name).containsExactly("grp", "sysgrp");
        assertThat(s.users()).containsExactly(
                new MaintainerScripts.User("svc", null, "svc", true, "/var/lib/svc", "/bin/false", "A service"),
                new MaintainerScripts.User("other", null, "grp", false, "/nonexistent", "/usr/sbin/nologin", null),
                new MaintainerScripts.User("sysusr", 321, "sysusr", true, "/var/lib/sysusr", "/usr/sbin/nologin", "Sys user"));
        assertThat(s.members()).containsExactly(new MaintainerScripts.Member("sysusr", "dialout"));
    }

    @Test
    void aUserNamedByAVariableIsRefusedWithTheLine() {
        assertThatThrownBy(() -> MaintainerScripts.parse("odd", Map.of("postinst", "NAME=odd\nadduser --system \"$NAME\"\n"), Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("odd's postinst line `adduser --system \"$NAME\"`")
                .hasMessageContaining("does not run them");
    }

    @Test
    void idsAvoidTheStudiosUsersStayStableAndAStudioNameWins() {
        MaintainerScripts tcpdump = MaintainerScripts.parse("tcpdump", Map.of("postinst", TCPDUMP_POSTINST), Map.of());
        MaintainerScripts ntp = MaintainerScripts.parse("openntpd", Map.of("postinst", "adduser --system --group --home /var/lib/x ntpd\n"), Map.of());
        List<dev.routerstudio.profile.ServiceCatalog.User> studio = List.of(new dev.routerstudio.profile.ServiceCatalog.User("ntpd", 101, 101, "/var/lib/openntpd", "OpenNTPD"));
        PackageSetup.Result a = PackageSetup.accounts(List.of(tcpdump, ntp), studio);
        PackageSetup.Result b = PackageSetup.accounts(List.of(tcpdump), List.of());
        assertThat(a.users()).extracting(PackageSetup.Account::name).containsExactly("tcpdump");
        assertThat(a.users().get(0).uid()).isBetween(200, 899).isEqualTo(b.users().get(0).uid());
        assertThat(a.groups()).extracting(PackageSetup.GroupEntry::name).containsExactly("tcpdump");
        assertThat(a.users().get(0).gid()).isEqualTo(a.groups().get(0).gid());
        assertThat(PackageSetup.pick("x", Set.of(PackageSetup.pick("x", Set.of())))).isNotEqualTo(PackageSetup.pick("x", Set.of()));
    }

    @Test
    void refuseConfMatchesNamesAndFamilies() {
        PipelineResources.Conf conf = PipelineResources.conf(ImageRecipe.ROOT + "packages/refuse.conf");
        assertThat(ResolveStage.refusal(conf, "systemd")).contains("PID 1");
        assertThat(ResolveStage.refusal(conf, "zfs-dkms")).contains("kernel module");
        assertThat(ResolveStage.refusal(conf, "libsystemd0")).isNull();
    }
}
