package dev.routerstudio.pipeline;

import dev.routerstudio.HostileCorpus;
import dev.routerstudio.profile.L2tpWan;
import dev.routerstudio.profile.PppoeWan;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.ProfileValidator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile corpus through the generators: every string the validator accepts for a field that
 * lands in a generated file is parsed back out of that file, byte-exact, and adds nothing to it
 * (no extra pppd option, no extra file content). Nothing generated is ever executed.
 */
class HostileCorpusGenerationTest {

    static boolean accepted(ProfileSpec spec) {
        return ProfileValidator.validate(spec, ProfileValidator.Secrets.REQUIRED).isEmpty();
    }

    static ProfileSpec withWan(ProfileSpec base, String username, String password, String serviceName, String acName) {
        if (base.wan() instanceof PppoeWan w) {
            return base.withWan(new PppoeWan(username, password, serviceName, acName, w.mtu(), w.mru(), w.lcpEchoInterval(), w.lcpEchoFailure()));
        }
        L2tpWan w = (L2tpWan) base.wan();
        return base.withWan(new L2tpWan(w.server(), username, password));
    }

    static String serviceName(ProfileSpec spec) {
        return spec.wan() instanceof PppoeWan w ? w.serviceName() : null;
    }

    static String acName(ProfileSpec spec) {
        return spec.wan() instanceof PppoeWan w ? w.acName() : null;
    }

    @Test
    void acceptedCredentialsAndPppoeNamesReachPppdByteExact() {
        int checked = 0;
        for (String mode : List.of("pppoe", "l2tp")) {
            ProfileSpec base = TestProfiles.load(mode);
            List<String> plain = HostileValuesTest.words(HostileValuesTest.etcFile(base, "/etc/ppp/peers/wan"));
            for (String hostile : HostileCorpus.strings()) {
                ProfileSpec asUser = withWan(base, hostile, "pw", serviceName(base), acName(base));
                if (accepted(asUser)) {
                    List<String> words = HostileValuesTest.words(HostileValuesTest.etcFile(asUser, "/etc/ppp/peers/wan"));
                    assertThat(HostileValuesTest.valueOf(words, "user")).as(HostileCorpus.describe(hostile)).isEqualTo(hostile);
                    assertThat(words).hasSameSizeAs(plain);
                    checked++;
                }
                ProfileSpec asPassword = withWan(base, "user", hostile, serviceName(base), acName(base));
                if (accepted(asPassword)) {
                    List<String> words = HostileValuesTest.words(HostileValuesTest.etcFile(asPassword, "/etc/ppp/peers/wan"));
                    assertThat(HostileValuesTest.valueOf(words, "password")).as(HostileCorpus.describe(hostile)).isEqualTo(hostile);
                    assertThat(words).hasSameSizeAs(plain);
                    // The lab's ISP must accept exactly this password: lab.json carries it unchanged, as data.
                    LabDescription lab = LabDescription.of(asPassword);
                    assertThat(LabDescription.parse(lab.json(), "lab.json").isp().values().get("password"))
                            .as(HostileCorpus.describe(hostile)).isEqualTo(hostile);
                    checked++;
                }
                if (mode.equals("pppoe")) {
                    ProfileSpec asService = withWan(base, "user", "pw", hostile, hostile);
                    if (accepted(asService)) {
                        List<String> words = HostileValuesTest.words(HostileValuesTest.etcFile(asService, "/etc/ppp/peers/wan"));
                        assertThat(HostileValuesTest.valueOf(words, "rp_pppoe_service")).isEqualTo(hostile);
                        assertThat(HostileValuesTest.valueOf(words, "rp_pppoe_ac")).isEqualTo(hostile);
                        assertThat(words.size()).isEqualTo(plain.size() + 4);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("accepted hostile values parsed back").isGreaterThan(200);
        System.out.println("hostile corpus through pppd's option file: " + checked + " accepted values parsed back byte-exact");
    }

    @Test
    void acceptedFileContentsAreWrittenAsGiven() {
        ProfileSpec base = TestProfiles.load("dhcp");
        int checked = 0;
        for (String hostile : HostileCorpus.strings()) {
            ProfileSpec spec = new ProfileSpec(base.name(), base.description(), base.hostname(), base.target(), base.interfaces(),
                    base.wan(), base.packages(), base.services(), List.of(new ProfileSpec.FileSpec("/etc/motd", "0644", hostile)));
            if (accepted(spec)) {
                assertThat(new String(HostileValuesTest.etcFile(spec, "/etc/motd").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                        .as(HostileCorpus.describe(hostile)).isEqualTo(hostile);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(150);
    }

    @Test
    void acceptedDeviceNamesStayOneWordInTheServiceScripts() {
        ProfileSpec base = TestProfiles.load("dhcp");
        for (String hostile : HostileCorpus.strings()) {
            ProfileSpec spec = new ProfileSpec(base.name(), base.description(), base.hostname(), base.target(),
                    new ProfileSpec.Interfaces(new ProfileSpec.WanInterface(hostile, null), base.interfaces().lan()),
                    base.wan(), base.packages(), List.of(), base.files());
            if (!accepted(spec)) {
                continue;
            }
            ImageRecipe recipe = ImageRecipe.of(spec);
            ServiceSet set = new ServicesStage().generate(recipe, ProfileValues.of(spec, recipe.uplink()));
            String up = new String(set.sources().get("wan.link").get("up"), StandardCharsets.UTF_8).strip();
            HostileValuesTest.assertDeviceStaysOneWord(up, hostile);
        }
    }

    @Test
    void acceptedPortForwardsAndWanOpeningsAddExactlyTheirOwnRulesToTheRuleset() {
        ProfileSpec base = TestProfiles.load("dhcp");
        var ssh = base.settings().ssh();
        String plain = FirewallRulesetTest.ruleset(base);
        String[] fields = {"settings.firewall.portForwards[0].proto", "settings.firewall.portForwards[0].lanAddress",
                "settings.firewall.openOnWan[0]"};
        List<String> strings = new java.util.ArrayList<>(HostileCorpus.strings());
        // the plain values go through the same path, so the accepted branch is known to run
        strings.addAll(List.of("tcp", "192.168.1.50", "ssh"));
        int accepted = 0;
        int refused = 0;
        for (String hostile : strings) {
            for (int field = 0; field < 3; field++) {
                var forward = new dev.routerstudio.profile.FirewallSettings.PortForward(field == 0 ? hostile : "tcp", 8080,
                        field == 1 ? hostile : "192.168.1.50", 80);
                List<String> open = field == 2 ? List.of(hostile) : List.of("ssh");
                ProfileSpec spec = base.withSettings(new dev.routerstudio.profile.ServiceSettings(
                        new dev.routerstudio.profile.FirewallSettings(List.of(forward), open), ssh));
                var violations = ProfileValidator.validate(spec, ProfileValidator.Secrets.REQUIRED);
                if (!violations.isEmpty()) {
                    // refused with a message on the field itself, nothing else
                    assertThat(violations).as(HostileCorpus.describe(hostile)).extracting(dev.routerstudio.profile.Violation::field)
                            .containsOnly(fields[field]);
                    refused++;
                    continue;
                }
                String rules = FirewallRulesetTest.ruleset(spec);
                // One forward, one rule; whatever was accepted is written in its canonical form.
                assertThat(rules.lines().filter(l -> l.contains("dnat ip to")).toList()).as(HostileCorpus.describe(hostile))
                        .containsExactly("\t\tiifname @wan_ifs meta nfproto ipv4 tcp dport 8080 dnat ip to 192.168.1.50:80");
                assertThat(rules.lines().count()).isEqualTo(plain.lines().count() - 1);
                FirewallRulesetTest.assertBalanced(rules);
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(3);
        assertThat(refused).isGreaterThan(HostileCorpus.strings().size());
    }
}
