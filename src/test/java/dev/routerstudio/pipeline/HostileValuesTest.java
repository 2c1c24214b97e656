package dev.routerstudio.pipeline;

import dev.routerstudio.profile.L2tpWan;
import dev.routerstudio.profile.PppoeWan;
import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile profile values go through the real stages; the generated files are then parsed the
 * way the target parses them (pppd's getword, execlineb words), never executed on the host.
 */
class HostileValuesTest {

    static final String PASSWORD = "a\"b'c$(reboot)\\` n";
    static final String USERNAME = "us'er\"@isp #1";

    @Test
    void pppoePasswordReachesPppdByteExact() {
        ProfileSpec spec = hostile(TestProfiles.load("pppoe"));
        String peers = etcFile(spec, "/etc/ppp/peers/wan");
        List<String> words = words(peers);
        assertThat(valueOf(words, "password")).isEqualTo(PASSWORD);
        assertThat(valueOf(words, "user")).isEqualTo(USERNAME);
        // The hostile values add no option of their own: the word list is exactly the template's.
        assertThat(words).containsExactly("plugin", "pppoe.so", "nic-eth0", "user", USERNAME, "password", PASSWORD,
                "pppoe-padi-timeout", "1", "pppoe-padi-attempts", "2", "lcp-echo-interval", "10", "lcp-echo-failure", "3", "ipparam", "wan.link.pppoe", "noauth",
                "noipdefault", "usepeerdns", "+ipv6", "persist", "maxfail", "0", "holdoff", "3", "nodetach");
    }

    @Test
    void l2tpPasswordReachesPppdByteExact() {
        ProfileSpec spec = hostile(TestProfiles.load("l2tp"));
        List<String> words = words(etcFile(spec, "/etc/ppp/peers/wan"));
        assertThat(valueOf(words, "password")).isEqualTo(PASSWORD);
        assertThat(valueOf(words, "user")).isEqualTo(USERNAME);
    }

    @Test
    void pppoeServiceNameWithNewlineCannotAddAnOption() {
        ProfileSpec base = TestProfiles.load("pppoe");
        PppoeWan w = (PppoeWan) base.wan();
        ProfileSpec spec = base.withWan(new PppoeWan(w.username(), w.password(), "isp\nplugin evil.so", "ac \"1\"", null, null, null, null));
        List<String> words = words(etcFile(spec, "/etc/ppp/peers/wan"));
        assertThat(valueOf(words, "rp_pppoe_service")).isEqualTo("isp\nplugin evil.so");
        assertThat(valueOf(words, "rp_pppoe_ac")).isEqualTo("ac \"1\"");
        assertThat(words.stream().filter(x -> x.equals("plugin")).count()).isEqualTo(1);
    }

    @Test
    void hostileDeviceNameStaysOneExeclineWord() {
        ProfileSpec base = TestProfiles.load("dhcp");
        String dev = "eth0\" ; reboot \"";
        ProfileSpec spec = new ProfileSpec(base.name(), base.description(), base.hostname(), base.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface(dev, null), base.interfaces().lan()),
                base.wan(), base.packages(), List.of(), base.files());
        ImageRecipe recipe = ImageRecipe.of(spec);
        ServiceSet set = new ServicesStage().generate(recipe, ProfileValues.of(spec, recipe.uplink()));
        String up = new String(set.sources().get("wan.link").get("up"), StandardCharsets.UTF_8).strip();
        assertDeviceStaysOneWord(up, dev);
    }

    @Test
    void hostnameThatWouldBreakItsFileIsRejected() {
        ProfileSpec base = TestProfiles.load("dhcp");
        ProfileSpec spec = new ProfileSpec(base.name(), base.description(), "gw\n127.0.0.1 bank", base.target(),
                base.interfaces(), base.wan(), base.packages(), base.services(), base.files());
        assertThatThrownBy(() -> etcFile(spec, "/etc/hostname")).isInstanceOf(PipelineException.class)
                .hasMessageContaining("hostname");
    }

    @Test
    void dnsmasqValuesMustBeTokens() {
        ProfileSpec base = TestProfiles.load("dhcp");
        ProfileSpec.LanInterface lan = base.interfaces().lan();
        ProfileSpec spec = new ProfileSpec(base.name(), base.description(), base.hostname(), base.target(),
                new ProfileSpec.Interfaces(base.interfaces().wan(), new ProfileSpec.LanInterface(lan.device(), lan.address(), null,
                        new ProfileSpec.DhcpRange("192.168.1.100\ndhcp-script=/bin/sh", "192.168.1.199"))),
                base.wan(), base.packages(), base.services(), base.files());
        assertThatThrownBy(() -> etcFile(spec, "/etc/dnsmasq.conf")).isInstanceOf(PipelineException.class)
                .hasMessageContaining("lan.dhcp.start");
    }

    @Test
    void profileFilesCannotReplaceTheBoot() {
        assertThatThrownBy(() -> EtcStage.profileFile(new ProfileSpec.FileSpec("/sbin/init", "0755", "x")))
                .hasMessageContaining("/sbin/init");
        assertThatThrownBy(() -> EtcStage.profileFile(new ProfileSpec.FileSpec("/etc/../run/x", "0644", "x")))
                .isInstanceOf(PipelineException.class);
    }

    static ProfileSpec hostile(ProfileSpec spec) {
        if (spec.wan() instanceof PppoeWan w) {
            return spec.withWan(new PppoeWan(USERNAME, PASSWORD, w.serviceName(), w.acName(), w.mtu(), w.mru(), w.lcpEchoInterval(), w.lcpEchoFailure()));
        }
        return spec.withWan(new L2tpWan(((L2tpWan) spec.wan()).server(), USERNAME, PASSWORD));
    }

    @Test
    void sshKeysLandOneALineAndALineBreakCannotAddAKey() {
        ProfileSpec base = TestProfiles.load("dhcp");
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";
        ProfileSpec spec = base.withSettings(new dev.routerstudio.profile.ServiceSettings(
                new dev.routerstudio.profile.SshSettings(List.of(key, key.replace("me@laptop", "second")))));
        spec = new ProfileSpec(spec.name(), spec.description(), spec.hostname(), spec.target(), spec.interfaces(), spec.wan(),
                spec.packages(), List.of("ssh"), spec.settings(), spec.files());
        assertThat(etcFile(spec, "/root/.ssh/authorized_keys").lines().toList()).containsExactly(key, key.replace("me@laptop", "second"));
        // The validator refuses such a key; the pipeline refuses it too rather than write two lines.
        ProfileSpec injected = spec.withSettings(new dev.routerstudio.profile.ServiceSettings(
                new dev.routerstudio.profile.SshSettings(List.of(key + "\nssh-ed25519 AAAA evil"))));
        assertThatThrownBy(() -> etcFile(injected, "/root/.ssh/authorized_keys")).isInstanceOf(PipelineException.class)
                .hasMessageContaining("settings.ssh.authorizedKeys").hasMessageContaining("single line");
    }

    static String etcFile(ProfileSpec spec, String path) {
        ImageRecipe recipe = ImageRecipe.of(spec);
        Map<String, String> values = ProfileValues.of(spec, recipe.uplink());
        RootfsLayout root = new RootfsLayout();
        new EtcStage().run(spec, recipe, values, root);
        return new String(root.get(path).content(), StandardCharsets.UTF_8);
    }

    static List<String> words(String pppdText) {
        List<String> out = new ArrayList<>();
        for (byte[] w : QuotingParsers.pppdWords(pppdText)) {
            out.add(new String(w, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String valueOf(List<String> words, String option) {
        int i = words.indexOf(option);
        assertThat(i).as("option " + option).isGreaterThanOrEqualTo(0);
        return words.get(i + 1);
    }

    /**
     * wan.link's up script: "if { ip link set DEV up }" then "ip link set DEV up"; on every line
     * the word after "set" is the device, byte-exact, and the line has no extra words.
     */
    static void assertDeviceStaysOneWord(String up, String dev) {
        List<String> lines = up.lines().toList();
        assertThat(lines).hasSize(2);
        List<String> first = execlineSplit(lines.get(0));
        assertThat(first).hasSize(8);
        assertThat(QuotingParsers.execlineWord(first.get(5))).isEqualTo(dev);
        List<String> last = execlineSplit(lines.get(1));
        assertThat(last).hasSize(5);
        assertThat(QuotingParsers.execlineWord(last.get(3))).isEqualTo(dev);
    }

    /** Splits an execline line at blanks outside double quotes (keeping the quotes). */
    static List<String> execlineSplit(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q && c == '\\') {
                cur.append(c).append(line.charAt(++i));
            } else if (c == '"') {
                q = !q;
                cur.append(c);
            } else if (!q && c == ' ') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
