package dev.routerstudio.pipeline;

import dev.routerstudio.profile.L2tpWan;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.StaticWan;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lab.json from the lab.* keys of lab.conf, the mode folders and the services: what the lab used to re-derive. */
class LabDescriptionTest {

    static final Path SCRATCH = Path.of("target", "tmp", "lab-description");

    /** The path check's runner, as the router gets it: pieces joined, base64, gunzip; each package's line parses back. */
    @Test
    void pathCheckCarriesARunnerWithOneLinePerPackageOnPath() throws Exception {
        ProfileSpec d = TestProfiles.load("dhcp");
        List<String> packages = List.of("nano", "tcpdump", "curl", "some-tool");
        ProfileSpec spec = new ProfileSpec(d.name(), d.description(), d.hostname(), d.target(), d.interfaces(), d.wan(), packages,
                d.services(), d.settings(), d.files());
        LabDescription lab = LabDescription.of(spec);
        assertThat(lab.checks()).contains("path");
        assertThat(lab.variables()).containsEntry("path", "true");
        StringBuilder b64 = new StringBuilder();
        for (int i = 1; i <= PathCheck.PIECES; i++) {
            String piece = lab.variables().get("path.script." + i);
            assertThat(piece).matches("[A-Za-z0-9+/=]{0," + PathCheck.PIECE_CHARS + "}");
            b64.append(piece);
        }
        String script;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(b64.toString())))) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<List<String>> lines = script.lines().filter(l -> l.startsWith("run ") || l.startsWith("help "))
                .map(l -> QuotingParsers.shSplit(l).stream().map(QuotingParsers::shWord).toList()).toList();
        assertThat(lines).containsExactly(
                List.of("run", "nano", "5", "nano file.txt"),
                List.of("run", "tcpdump", "0", "timeout 40 tcpdump -n -c 1 -i lo icmp & sleep 8; ping -c 3 127.0.0.1 >/dev/null; wait $!"),
                List.of("run", "curl", "0", "curl -sS -o /dev/null -w 'HTTP %{http_code}' http://198.51.100.80/"),
                List.of("help", "some-tool"));
        assertThat(script).endsWith("echo \"path: $n programs, $failed failed, $notrun not run\"\n").doesNotContain("\n#");
        // the same profile gives the same lab.json (gzip without a time stamp)
        assertThat(LabDescription.of(spec)).isEqualTo(lab);
        // without packages the check is skipped
        assertThat(LabDescription.of(d).variables()).containsEntry("path", "false").containsEntry("path.script.1", "");
    }

    @Test
    void pppoeNamesItsPeerCredentialsPoolAndWanCheck() {
        LabDescription lab = LabDescription.of(TestProfiles.load("pppoe"));
        assertThat(lab.format()).isEqualTo(LabDescription.FORMAT);
        assertThat(lab.target()).isEqualTo("malta-mipsel");
        assertThat(lab.wanMode()).isEqualTo("pppoe");
        assertThat(lab.uplink()).isEqualTo("wan.link.pppoe");
        assertThat(lab.isp().role()).isEqualTo("isp-pppoe");
        assertThat(lab.lan().role()).isEqualTo("lan-client");
        assertThat(lab.isp().values()).containsEntry("username", "user@isp").containsEntry("password", "secret")
                .containsEntry("ppp.local", "10.64.0.1").containsEntry("ppp.pool.start", "10.64.0.100")
                .containsEntry("pppoe.ac", "isp").containsEntry("pppoe.service", "").containsEntry("dns", "203.0.113.53")
                .containsEntry("world.address", "198.51.100.80").containsEntry("hostname", "isp");
        assertThat(lab.checks()).containsExactly("boot", "link", "wan-up-ppp", "routes", "dns", "readiness", "lan-lease", "lan-nat", "ipv6-wan", "ipv6-lan",
                "path", "restart", "restart-ipv6", "wan-closed", "no-forward-in", "port-forward", "link-loss-ppp", "lossy-line", "isp-restart",
                "persist", "shutdown");
        // link-loss-ppp waits out pppd's echo window: the profile's settings, or pppd's defaults (10 s × 3)
        assertThat(lab.variables()).containsEntry("lcp.echo.interval", "10").containsEntry("lcp.echo.failure", "3");
        // IPv6 on (the default): the DHCPv6-PD client's outputs and the pool's prefixes are what the ipv6 checks read
        assertThat(lab.variables()).containsEntry("ipv6", "true").containsEntry("uplink6", "wan.dhcp6c")
                .containsEntry("world6.address", "2001:db8:2::80");
        assertThat("2001:db8:0:f00::/56").matches(lab.variables().get("prefix6.regex"));
        assertThat(lab.isp().values()).containsEntry("world6.address", "2001:db8:2::80");
        assertThat(LabDescription.of(TestProfiles.load("pppoe").withIpv6(new dev.routerstudio.profile.Ipv6Settings(false, null))).variables())
                .containsEntry("ipv6", "false");
        assertThat(lab.variables()).containsEntry("wan.ifname", "ppp0").containsEntry("uplink", "wan.link.pppoe")
                .containsEntry("wan.mode", "pppoe").containsEntry("dnsmasq", "true").containsEntry("nat", "true")
                .containsEntry("restartable", "true").containsEntry("world.marker", "Router Studio world host");
        assertThat(lab.interfaces().get("wan")).isEqualTo(new LabDescription.Interface("eth0", "52:54:00:00:01:01"));
        assertThat("10.64.0.150").matches(lab.variables().get("wan.pool.regex"));
        assertThat("10.64.0.99").doesNotMatch(lab.variables().get("wan.pool.regex"));
        assertThat("192.168.1.123").matches(lab.variables().get("lan.regex"));
        assertThat("192.168.10.123").doesNotMatch(lab.variables().get("lan.regex"));
    }

    @Test
    void dhcpAndStaticQuoteProfileValuesForTheirRegexes() {
        ProfileSpec dhcp = TestProfiles.load("dhcp");
        LabDescription d = LabDescription.of(dhcp);
        assertThat(d.isp().role()).isEqualTo("isp-dhcp");
        assertThat(d.checks()).contains("wan-up-dhcp").containsSubsequence("restart", "link-loss-dhcp", "lossy-line", "shutdown").doesNotContain("isp-restart");
        assertThat(d.isp().values()).containsEntry("dhcp.start", "203.0.113.100").containsEntry("isp.cidr", "203.0.113.1/24");
        String device = dhcp.interfaces().wan().device();
        assertThat(Pattern.compile(d.variables().get("route.regex")).matcher("default via 203.0.113.1 dev " + device).matches()).isTrue();
        assertThat(Pattern.compile(d.variables().get("route.regex")).matcher("default via 203x0.113.1 dev " + device).matches()).isFalse();

        ProfileSpec st = TestProfiles.load("static");
        StaticWan sw = (StaticWan) st.wan();
        LabDescription s = LabDescription.of(st);
        String ip = sw.address().substring(0, sw.address().indexOf('/'));
        assertThat(s.isp().role()).isEqualTo("isp-static");
        assertThat(s.checks()).noneMatch(c -> c.startsWith("link-loss")); // nothing on a static WAN notices a dead line
        assertThat(s.isp().values()).containsEntry("isp.cidr", sw.gateway() + sw.address().substring(sw.address().indexOf('/')))
                .containsEntry("dns", sw.dns().get(0));
        assertThat(s.variables()).containsEntry("static.address", ip).containsEntry("restartable", "false")
                .containsEntry("dns", sw.dns().get(0)).containsEntry("peer.address", sw.gateway());
        assertThat(ip).matches(s.variables().get("wan.pool.regex"));
        assertThat(ip.replace('.', 'x')).doesNotMatch(s.variables().get("wan.pool.regex"));
    }

    @Test
    void servicesDecideTheLanVariablesAndL2tpListensOnTheServer() {
        ProfileSpec l2tp = TestProfiles.load("l2tp");
        ProfileSpec bare = new ProfileSpec(l2tp.name(), null, l2tp.hostname(), l2tp.target(), l2tp.interfaces(), l2tp.wan(),
                List.of(), List.of(), List.of());
        LabDescription lab = LabDescription.of(bare);
        assertThat(lab.variables()).containsEntry("dnsmasq", "false").containsEntry("nat", "false");
        assertThat(lab.isp().role()).isEqualTo("isp-l2tp");
        assertThat(lab.isp().values()).containsEntry("isp.address", ((L2tpWan) l2tp.wan()).server()).containsEntry("ppp.local", "10.65.0.1");
    }

    @Test
    void writeAndReadRoundTripAndReadRefusesWhatNoLabCanRun() throws Exception {
        Files.createDirectories(SCRATCH);
        LabDescription lab = LabDescription.of(TestProfiles.load("pppoe"));
        Path f = lab.write(SCRATCH.resolve("lab.json"));
        assertThat(LabDescription.read(f, "lab.json")).isEqualTo(lab);
        String json = Files.readString(f);
        assertThatThrownBy(() -> LabDescription.parse(json.replace("\"malta-mipsel\"", "\"sparc-sun\""), "x/lab.json"))
                .hasMessageContaining("x/lab.json: target 'sparc-sun' is not one of this studio's targets (malta-mipsel");
        assertThatThrownBy(() -> LabDescription.parse(json.replace("\"isp-pppoe\"", "\"../../etc\""), "lab.json"))
                .hasMessageContaining("peer role '../../etc' is not a folder under qemu-runner/peers/");
        assertThatThrownBy(() -> LabDescription.parse(json.replace("\"wan-up-ppp\"", "\"rm-rf\""), "lab.json"))
                .hasMessageContaining("check 'rm-rf' is not one of qemu-runner/checks/");
        assertThatThrownBy(() -> LabDescription.parse(json.replace(LabDescription.FORMAT, "routerstudio-lab/0"), "lab.json"))
                .hasMessageContaining("build the firmware again");
        assertThatThrownBy(() -> LabDescription.parse("[1,2]", "lab.json")).hasMessageContaining("lab.json is not a lab description");
        assertThatThrownBy(() -> LabDescription.parse(json.replace("\"uplink\"", "\"upl1nk\""), "lab.json"))
                .hasMessageContaining("is not a lab description");
    }
}
