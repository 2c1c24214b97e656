package dev.routerstudio.lab;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerConfigTest {

    static final String HOSTILE = "a\"b'c$(reboot)\\ n\t`x` ;$HOME";

    @Test
    void pppoeSecretsCarryTheHostilePasswordByteExact() {
        LabPlan plan = LabPlan.of(LabFixtures.pppoe(HOSTILE));
        Map<String, String> files = PeerConfigDisk.render(plan.ispRole(), plan.ispValues());
        for (String f : new String[]{"ppp/pap-secrets", "ppp/chap-secrets"}) {
            String line = files.get(f).lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
            assertThat(TargetParsers.pppdWords(line)).containsExactly("user@isp", "*", HOSTILE, "*");
        }
        assertThat(files.get("start")).contains("-L '10.64.0.1' -R '10.64.0.100' -N '100' -C 'isp'");
        assertThat(files.get("ppp/pppoe-server-options")).contains("ms-dns \"203.0.113.53\"").contains("require-chap").contains("require-pap");
    }

    @Test
    void l2tpSecretsAndTheServiceNameAreQuotedForTheirFiles() {
        var spec = LabFixtures.l2tp();
        spec = spec.withWan(spec.wan().withPassword(HOSTILE));
        LabPlan plan = LabPlan.of(spec);
        Map<String, String> files = PeerConfigDisk.render(plan.ispRole(), plan.ispValues());
        String line = files.get("ppp/chap-secrets").lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(TargetParsers.pppdWords(line)).containsExactly("user@isp", "*", HOSTILE, "*");
        assertThat(files.get("xl2tpd.conf")).contains("listen-addr = 203.0.113.1").contains("ip range = 10.65.0.100-10.65.0.199");
        assertThat(files.get("udhcpd.conf")).contains("start 203.0.113.100").contains("option router 203.0.113.1");

        var pppoe = LabFixtures.pppoe("pw");
        pppoe = pppoe.withWan(new dev.routerstudio.profile.PppoeWan("u", "p", "it's $x", null, null, null, null, null));
        LabPlan p2 = LabPlan.of(pppoe);
        String start = PeerConfigDisk.render(p2.ispRole(), p2.ispValues()).get("start");
        assertThat(TargetParsers.shWords(start.lines().filter(l -> l.startsWith("pppoe-server")).findFirst().orElseThrow()))
                .containsSequence("-S", "it's $x");
    }

    @Test
    void valuesThatConfigFormatsCannotCarryAreRefusedNotWritten() {
        var l2tp = LabFixtures.l2tp();
        var hostileServer = l2tp.withWan(new dev.routerstudio.profile.L2tpWan("203.0.113.1\n[lns evil]", "u", "p"));
        assertThatThrownBy(() -> LabPlan.of(hostileServer)).hasMessageContaining("is not an IPv4 address");
        assertThatThrownBy(() -> LabPlan.of(l2tp.withWan(l2tp.wan().withPassword(null))))
                .hasMessageContaining("username and password");
        // A value that reaches a token-only format (udhcpd, xl2tpd) is checked by ScriptQuoting.token.
        Map<String, String> values = new java.util.HashMap<>(LabPlan.of(l2tp).ispValues());
        values.put("dns", "203.0.113.53\ninterface eth1");
        assertThatThrownBy(() -> PeerConfigDisk.render(PeerRole.ISP_L2TP, values)).hasMessageContaining("dns");
    }
}
