package dev.routerstudio.pipeline;

import dev.routerstudio.profile.FirewallSettings;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.ServiceSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The firewall's ruleset (/etc/nftables/studio_fw.nft) as the pipeline renders it from a profile:
 * the zones, the services' declared ports, the WAN openings and the port forwards. The lab loads
 * it with the real nft on the router; here its text is read back.
 */
class FirewallRulesetTest {

    static String ruleset(ProfileSpec spec) {
        return HostileValuesTest.etcFile(spec, FirmwarePipeline.RULESET_IN_IMAGE);
    }

    /** The block "set NAME { … }" of the ruleset. */
    static String set(String rules, String name) {
        var m = Pattern.compile("(?s)\\tset " + name + " \\{\\n(.*?)\\n\\t}").matcher(rules);
        assertThat(m.find()).as("set " + name).isTrue();
        return m.group(1);
    }

    @Test
    void theDhcpExampleOpensSshAndForwardsItsPortsAndNothingElse() {
        String rules = ruleset(TestProfiles.load("dhcp"));
        assertThat(rules).startsWith("# Router Studio firewall").contains("table inet studio_fw\ndelete table inet studio_fw\n")
                .contains("define lan_if = \"eth1\"").doesNotContain("{{");
        // LAN: what dnsmasq (DNS, DHCP, DHCPv6) and ssh declare in their service.conf
        assertThat(set(rules, "lan_tcp")).contains("elements = { 22, 53 }");
        assertThat(set(rules, "lan_udp")).contains("elements = { 53, 67, 547 }");
        // WAN: ssh, opened by the profile; no udp service is opened
        assertThat(set(rules, "wan_tcp")).contains("elements = { 22 }");
        assertThat(set(rules, "wan_udp")).doesNotContain("elements");
        assertThat(set(rules, "wan_ifs")).doesNotContain("elements");
        assertThat(rules).contains("\t\tiifname @wan_ifs meta nfproto ipv4 tcp dport 8080 dnat ip to 192.168.1.50:80\n")
                .contains("\t\tiifname @wan_ifs meta nfproto ipv4 udp dport 51820 dnat ip to 192.168.1.60:51820\n");
        assertThat(rules).contains("type filter hook input priority filter; policy drop;")
                .contains("type filter hook forward priority filter; policy drop;")
                .contains("iifname @wan_ifs counter name \"wan_in_drop\" drop")
                .contains("iifname @wan_ifs counter name \"wan_fwd_drop\" drop")
                .contains("iifname @wan_ifs oifname $lan_if ct status dnat accept")
                .contains("icmp type echo-request limit rate")
                .contains("icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept")
                .contains("ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept")
                .contains("udp sport 67 udp dport 68 accept");
        assertBalanced(rules);
    }

    @Test
    void withoutSettingsTheWanIsClosedAndTheLabKnowsThereIsNoForward() {
        ProfileSpec spec = TestProfiles.load("pppoe");
        String rules = ruleset(spec);
        assertThat(set(rules, "wan_tcp")).doesNotContain("elements");
        assertThat(rules).doesNotContain("dnat ip to");
        assertBalanced(rules);
        ImageRecipe recipe = ImageRecipe.of(spec);
        Map<String, String> vars = LabDescription.of(recipe, ProfileValues.of(spec, recipe.uplink())).variables();
        assertThat(vars).containsEntry("firewall", "true").containsEntry("port.forward", "false").containsEntry("wan.open.tcp", "");
        assertThat(LabDescription.of(recipe, ProfileValues.of(spec, recipe.uplink())).checks())
                .containsSubsequence("restart", "wan-closed", "no-forward-in", "port-forward", "persist", "shutdown");
    }

    @Test
    void theLabOfTheDhcpExampleProbesTheForwardAndTheOpenedPort() {
        ProfileSpec spec = TestProfiles.load("dhcp");
        ImageRecipe recipe = ImageRecipe.of(spec);
        LabDescription lab = LabDescription.of(recipe, ProfileValues.of(spec, recipe.uplink()));
        assertThat(lab.variables()).containsEntry("port.forward", "true").containsEntry("port.forward.wanPort", "8080")
                .containsEntry("wan.open.tcp", "22").containsEntry("wan.forward.tcp", "8080").containsEntry("lan.http.port", "80");
        assertThat(lab.lan().values()).containsEntry("http.address", "192.168.1.50").containsEntry("http.port", "80");
        assertThat(recipe.kernelFeatures()).contains("firewall");
        // dropbear listens on every address once ssh is opened on the WAN
        assertThat(new String(new ServicesStage().generate(recipe, ProfileValues.of(spec, recipe.uplink())).sources().get("ssh").get("run"),
                java.nio.charset.StandardCharsets.UTF_8)).contains("-p \"22\"");
    }

    @Test
    void aLanAddressIsWrittenInItsCanonicalFormOrTheBuildStops() {
        ProfileSpec base = TestProfiles.load("dhcp");
        ProfileSpec spec = base.withSettings(new ServiceSettings(new FirewallSettings(
                List.of(new FirewallSettings.PortForward("tcp", 2222, "192.168.1.50", 22)), null), base.settings().ssh()));
        assertThat(ruleset(spec)).contains("tcp dport 2222 dnat ip to 192.168.1.50:22");
        // What the validator refuses never becomes text in the ruleset, even if it got this far.
        ProfileSpec hostile = base.withSettings(new ServiceSettings(new FirewallSettings(
                List.of(new FirewallSettings.PortForward("tcp", 2222, "192.168.1.50; flush ruleset", 22)), null), base.settings().ssh()));
        assertThatThrownBy(() -> ruleset(hostile)).isInstanceOf(PipelineException.class).hasMessageContaining("portForwards");
        ProfileSpec proto = base.withSettings(new ServiceSettings(new FirewallSettings(
                List.of(new FirewallSettings.PortForward("tcp dport 1 accept", 2222, "192.168.1.50", 22)), null), base.settings().ssh()));
        assertThatThrownBy(() -> ruleset(proto)).isInstanceOf(PipelineException.class).hasMessageContaining("tcp or udp");
    }

    static void assertBalanced(String rules) {
        int depth = 0;
        for (char c : rules.replaceAll("(?m)#.*$", "").toCharArray()) {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            assertThat(depth).isNotNegative();
        }
        assertThat(depth).isZero();
    }
}
