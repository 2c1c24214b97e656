package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Peer config files rendered from a lab description's values: every value quoted for its file. */
class PeerConfigTest {

    static final String HOSTILE = "a\"b'c$(reboot)\\ n\t`x` ;$HOME";

    @Test
    void pppoeSecretsCarryTheHostilePasswordByteExact() {
        LabDescription lab = LabDescription.of(LabFixtures.pppoe(HOSTILE));
        Map<String, String> files = PeerConfigDisk.render(lab.isp().role(), lab.isp().values());
        for (String f : new String[]{"ppp/pap-secrets", "ppp/chap-secrets"}) {
            String line = files.get(f).lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
            assertThat(TargetParsers.pppdWords(line)).containsExactly("user@isp", "*", HOSTILE, "*");
        }
        assertThat(files.get("start")).contains("-L '10.64.0.1' -R '10.64.0.100' -N '100' -C 'isp'");
        assertThat(files.get("start")).contains("service=''");
        assertThat(files.get("ppp/pppoe-server-options")).contains("ms-dns \"203.0.113.53\"").contains("require-chap").contains("require-pap");
    }

    @Test
    void l2tpSecretsAndTheServiceNameAreQuotedForTheirFiles() {
        var spec = LabFixtures.l2tp();
        spec = spec.withWan(spec.wan().withPassword(HOSTILE));
        LabDescription lab = LabDescription.of(spec);
        Map<String, String> files = PeerConfigDisk.render(lab.isp().role(), lab.isp().values());
        String line = files.get("ppp/chap-secrets").lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(TargetParsers.pppdWords(line)).containsExactly("user@isp", "*", HOSTILE, "*");
        assertThat(files.get("xl2tpd.conf")).contains("listen-addr = 203.0.113.1").contains("ip range = 10.65.0.100-10.65.0.199");
        // The underlay pool is picked by the start script so that it avoids the server's address.
        assertThat(files.get("udhcpd.conf")).contains("option router 203.0.113.1").doesNotContainPattern("(?m)^start ");
        assertThat(files.get("start")).contains("address='203.0.113.1'").contains("udhcpd /run/udhcpd.conf");

        var pppoe = LabFixtures.pppoe("pw");
        pppoe = pppoe.withWan(new dev.routerstudio.profile.PppoeWan("u", "p", "it's $x", null, null, null, null, null));
        LabDescription p2 = LabDescription.of(pppoe);
        String start = PeerConfigDisk.render(p2.isp().role(), p2.isp().values()).get("start");
        assertThat(TargetParsers.shWords(start.lines().filter(l -> l.startsWith("service=")).findFirst().orElseThrow()))
                .containsExactly("service=it's $x");
        assertThat(start).contains("${service:+-S \"$service\"}");
    }

    @Test
    void valuesThatConfigFormatsCannotCarryAreRefusedNotWritten() {
        var l2tp = LabFixtures.l2tp();
        // A server name is fine for the firmware, but the lab's ISP must take it as its address.
        var named = l2tp.withWan(new dev.routerstudio.profile.L2tpWan("lns.isp.example", "u", "p"));
        LabDescription lab = LabDescription.of(named);
        assertThat(lab.isp().values()).containsEntry("isp.address", "lns.isp.example");
        LabRequest req = LabRequest.of("t", java.nio.file.Path.of("k"), java.nio.file.Path.of("i"), java.nio.file.Path.of("r"), lab);
        assertThatThrownBy(() -> new Lab("t", req, LabFixtures.DATA.resolve("never"), LabFixtures.settings(), null, s -> { },
                LabFixtures.DATA.resolve("never-evidence"), s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an IPv4 address");
        // A value that reaches a token-only format (udhcpd, xl2tpd) is checked by ScriptQuoting.token.
        Map<String, String> values = new java.util.HashMap<>(LabDescription.of(l2tp).isp().values());
        values.put("dns", "203.0.113.53\ninterface eth1");
        assertThatThrownBy(() -> PeerConfigDisk.render("isp-l2tp", values)).hasMessageContaining("dns");
        assertThatThrownBy(() -> PeerConfigDisk.render("../etc", values)).hasMessageContaining("not a folder name");
    }
}
