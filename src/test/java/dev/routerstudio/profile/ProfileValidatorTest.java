package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileSpec.DhcpRange;
import dev.routerstudio.profile.ProfileSpec.FileSpec;
import dev.routerstudio.profile.ProfileSpec.LanInterface;
import dev.routerstudio.profile.ProfileValidator.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.routerstudio.profile.Specs.pppoeProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileValidatorTest {

    private static List<String> fields(ProfileSpec spec) {
        return ProfileValidator.validate(spec, Secrets.REQUIRED).stream().map(Violation::field).toList();
    }

    @Test
    void theExampleProfileIsValid() {
        assertThat(ProfileValidator.validate(pppoeProfile("home"), Secrets.REQUIRED)).isEmpty();
    }

    @Test
    void everyWanModeHasAValidShape() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(fields(base.withWan(Specs.dhcp()))).isEmpty();
        assertThat(fields(base.withWan(Specs.l2tp("203.0.113.1")))).isEmpty();
        assertThat(fields(base.withWan(Specs.l2tp("lns.isp.example")))).isEmpty();
        assertThat(fields(base.withWan(Specs.staticWan("203.0.113.2/24", "203.0.113.1", List.of("203.0.113.53"))))).isEmpty();
    }

    /** Hostile but printable credentials must pass: the pipeline quotes them, the validator must not forbid them. */
    @ParameterizedTest
    @ValueSource(strings = {"a\"b'c$(reboot)\\` n", "'; rm -rf / #", "$(reboot)", "`id`", "pass word", "\\", "\"", "%s%n",
            "<script>alert(1)</script>", "пароль", "密码", "${HOME}", "a&&b||c;d|e>f<g"})
    void printableHostileCredentialsAreAccepted(String secret) {
        ProfileSpec spec = pppoeProfile("home").withWan(Specs.pppoe(secret, secret));
        assertThat(ProfileValidator.validate(spec, Secrets.REQUIRED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"new\nline", "carriage\rreturn", "nul\0byte", "tab\there", "bell\u0007", "del\u007f",
            "rtl\u202Eevil", "zero\u200Bwidth", "c1\u0085next", "line\u2028sep"})
    void controlAndInvisibleCharactersAreRejectedInCredentials(String secret) {
        ProfileSpec spec = pppoeProfile("home").withWan(Specs.pppoe("user", secret));
        assertThat(fields(spec)).containsExactly("wan.password");
    }

    @Test
    void credentialsAreLimitedTo255Bytes() {
        assertThat(fields(pppoeProfile("home").withWan(Specs.pppoe("user", "x".repeat(255))))).isEmpty();
        assertThat(fields(pppoeProfile("home").withWan(Specs.pppoe("user", "x".repeat(256))))).containsExactly("wan.password");
        // 128 two-byte characters are 256 bytes
        assertThat(fields(pppoeProfile("home").withWan(Specs.pppoe("ж".repeat(128), "pw")))).containsExactly("wan.username");
    }

    @Test
    void passwordIsRequiredOnCreateButOptionalOnImport() {
        ProfileSpec spec = pppoeProfile("home").withWan(Specs.pppoe("user", null));
        assertThat(fields(spec)).containsExactly("wan.password");
        assertThat(ProfileValidator.validate(spec, Secrets.OPTIONAL)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Home", "-home", "home-", "ho me", "home_gw", "../etc", "a;b", "ä", "x\n"})
    void badNamesAreRejected(String name) {
        assertThat(fields(pppoeProfile(name))).containsExactly("name");
    }

    @Test
    void nameMayBe63CharactersButNotMore() {
        assertThat(fields(pppoeProfile("a".repeat(63)))).isEmpty();
        assertThat(fields(pppoeProfile("a".repeat(64)))).containsExactly("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "router.home.arpa", "a", "r2-d2", "x1"})
    void goodHostnames(String hostname) {
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), hostname))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-gw", "gw-", "gw..home", "gw_1", "gw home", "gw;reboot", "$(reboot)", ".gw", "gw."})
    void badHostnames(String hostname) {
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), hostname))).containsExactly("hostname");
    }

    @Test
    void hostnameLimitsFollowRfc1123() {
        String label63 = "a".repeat(63);
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), label63))).isEmpty();
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), "a".repeat(64)))).containsExactly("hostname");
        String total253 = String.join(".", Collections.nCopies(3, label63)) + "." + "a".repeat(61);
        assertThat(total253).hasSize(253);
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), total253))).isEmpty();
        assertThat(fields(Specs.withHostname(pppoeProfile("home"), total253 + "a"))).containsExactly("hostname");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.1", "192.168.1.1/33", "192.168.1.256/24", "192.168.01.1/24", "192.168.1/24",
            "192.168.1.1/24 ", " 192.168.1.1/24", "192.168.1.1/x", "1.2.3.4.5/24", "192.168.1.0/24", "192.168.1.255/24",
            "192.168.1.1/31", "0x7f.0.0.1/8", "192.168.1.1/24;reboot"})
    void badLanAddresses(String address) {
        ProfileSpec spec = Specs.withLan(pppoeProfile("home"), new LanInterface("eth1", address, null, null));
        assertThat(fields(spec)).containsExactly("interfaces.lan.address");
    }

    @Test
    void dhcpRangeMustLieInsideTheLanAndAvoidTheRouter() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(fields(Specs.withLan(base, new LanInterface("eth1", "192.168.1.1/24", null,
                new DhcpRange("192.168.2.10", "192.168.1.20"))))).contains("interfaces.lan.dhcpRange.start");
        assertThat(fields(Specs.withLan(base, new LanInterface("eth1", "192.168.1.1/24", null,
                new DhcpRange("192.168.1.50", "192.168.1.20"))))).containsExactly("interfaces.lan.dhcpRange.end");
        assertThat(fields(Specs.withLan(base, new LanInterface("eth1", "192.168.1.50/24", null,
                new DhcpRange("192.168.1.10", "192.168.1.100"))))).containsExactly("interfaces.lan.dhcpRange");
        assertThat(fields(Specs.withLan(base, new LanInterface("eth1", "192.168.1.1/24", null,
                new DhcpRange("192.168.1.100", null))))).containsExactly("interfaces.lan.dhcpRange.end");
        assertThat(fields(Specs.withLan(base, new LanInterface("eth1", "10.0.0.1/8", null,
                new DhcpRange("10.200.0.1", "10.200.3.255"))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "this-name-is-too-long", "eth0;reboot", "eth 0", "eth/0", "..", "eth0\n"})
    void badDeviceNames(String device) {
        ProfileSpec spec = Specs.withLan(pppoeProfile("home"), new LanInterface(device, "192.168.1.1/24", null, null));
        assertThat(fields(spec)).containsExactly("interfaces.lan.device");
    }

    @Test
    void lanAndWanMustUseDifferentDevices() {
        ProfileSpec spec = Specs.withLan(pppoeProfile("home"), new LanInterface("eth0", "192.168.1.1/24", null, null));
        assertThat(fields(spec)).containsExactly("interfaces.lan.device");
    }

    @Test
    void mtuRange() {
        assertThat(fields(Specs.withLan(pppoeProfile("home"), new LanInterface("eth1", "192.168.1.1/24", 575, null))))
                .containsExactly("interfaces.lan.mtu");
        assertThat(fields(Specs.withLan(pppoeProfile("home"), new LanInterface("eth1", "192.168.1.1/24", 9001, null))))
                .containsExactly("interfaces.lan.mtu");
        assertThat(fields(Specs.withLan(pppoeProfile("home"), new LanInterface("eth1", "192.168.1.1/24", 576, null)))).isEmpty();
        assertThat(fields(Specs.withLan(pppoeProfile("home"), new LanInterface("eth1", "192.168.1.1/24", 9000, null)))).isEmpty();
    }

    @Test
    void fieldsOfAnotherWanModeAreRejected() {
        // Each mode is its own record: a field of another mode is an unknown field, named with what the mode takes.
        assertThatThrownBy(() -> ProfileJson.read(ProfileJson.write(pppoeProfile("home")).replace("\"mode\" : \"pppoe\"", "\"mode\" : \"dhcp\"")))
                .isInstanceOfSatisfying(ProfileValidationException.class, e -> assertThat(e.violations()).singleElement().satisfies(x -> {
                    assertThat(x.field()).isEqualTo("wan.username");
                    assertThat(x.message()).contains("is not used by WAN mode dhcp");
                }));
        assertThatThrownBy(() -> ProfileJson.read(ProfileJson.write(pppoeProfile("home")).replace("\"username\"", "\"server\" : \"lns\", \"username\"")))
                .isInstanceOfSatisfying(ProfileValidationException.class, e -> assertThat(e.violations()).singleElement().satisfies(x -> {
                    assertThat(x.field()).isEqualTo("wan.server");
                    assertThat(x.message()).contains("pppoe takes").contains("username");
                }));
    }

    @Test
    void unknownWanModeNamesTheModes() {
        String json = ProfileJson.write(pppoeProfile("home")).replace("\"mode\" : \"pppoe\"", "\"mode\" : \"pppoa\"");
        assertThatThrownBy(() -> ProfileJson.read(json))
                .isInstanceOfSatisfying(ProfileValidationException.class, e -> assertThat(e.violations()).singleElement().satisfies(x -> {
                    assertThat(x.field()).isEqualTo("wan.mode");
                    assertThat(x.message()).contains("dhcp, pppoe, l2tp, static");
                }));
    }

    private static StaticWan static6(String address6, String gateway6, String prefix6) {
        return new StaticWan("203.0.113.2/24", "203.0.113.1", List.of("203.0.113.53"), address6, gateway6, prefix6);
    }

    @Test
    void ipv6IsOnByDefaultAndItsPrefixLengthIs48To64() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(base.ipv6Enabled()).isTrue();
        assertThat(fields(base.withIpv6(new Ipv6Settings(true, 56)))).isEmpty();
        assertThat(fields(base.withIpv6(new Ipv6Settings(null, 48)))).isEmpty();
        assertThat(fields(base.withIpv6(new Ipv6Settings(true, 47)))).containsExactly("ipv6.prefixLength");
        assertThat(fields(base.withIpv6(new Ipv6Settings(true, 65)))).containsExactly("ipv6.prefixLength");
        assertThat(fields(base.withIpv6(new Ipv6Settings(false, 56)))).containsExactly("ipv6.prefixLength");
        assertThat(fields(base.withIpv6(new Ipv6Settings(false, null)))).isEmpty();
        assertThat(base.withIpv6(new Ipv6Settings(false, null)).ipv6Enabled()).isFalse();
        // the default says nothing: equal profiles, equal bytes
        assertThat(new Ipv6Settings(true, null).normalized()).isNull();
        assertThat(new Ipv6Settings(false, null).normalized()).isEqualTo(new Ipv6Settings(false, null));
    }

    @Test
    void staticIpv6IsCheckedForShapeGatewayAndPrefix() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", "2001:db8:1::1", "2001:db8:5:100::/56")))).isEmpty();
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", "fe80::1", null)))).isEmpty();
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", null, "2001:db8:5::/48")))).isEmpty();
        assertThat(fields(base.withWan(static6("2001:db8:1::2", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/129", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1:::2/64", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("fe80::2/64", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1::/64", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2%eth0/64", null, null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", "2001:db8:2::1", null)))).containsExactly("wan.gateway6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", "2001:db8:1::2", null)))).containsExactly("wan.gateway6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", "ff02::1", null)))).containsExactly("wan.gateway6");
        assertThat(fields(base.withWan(static6(null, "2001:db8:1::1", null)))).containsExactly("wan.address6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", null, "2001:db8:5:101::/56")))).containsExactly("wan.prefix6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", null, "2001:db8:5::/40")))).containsExactly("wan.prefix6");
        assertThat(fields(base.withWan(static6("2001:db8:1::2/64", null, "2001:db8:1::/64")))).containsExactly("wan.prefix6");
        ProfileSpec off = base.withIpv6(new Ipv6Settings(false, null));
        assertThat(fields(off.withWan(static6("2001:db8:1::2/64", "2001:db8:1::1", null)))).containsExactly("wan.address6", "wan.gateway6");
        assertThat(ProfileValidator.validate(off.withWan(static6("2001:db8:1::2/64", null, null)), Secrets.REQUIRED).get(0).message())
                .contains("IPv6 off");
    }

    @Test
    void ipv6TextFormsParseToTheirCanonicalForm() {
        assertThat(Ipv6.format(Ipv6.parse("2001:0DB8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(Ipv6.format(Ipv6.parse("::"))).isEqualTo("::");
        assertThat(Ipv6.format(Ipv6.parse("::ffff:192.0.2.1"))).isEqualTo("::ffff:c000:201");
        assertThat(Ipv6.format(Ipv6.parse("2001:db8:0:1:0:0:1:0"))).isEqualTo("2001:db8:0:1::1:0");
        assertThat(Ipv6.format(Ipv6.parse("2001:db8:5:100::"))).isEqualTo("2001:db8:5:100::");
        for (String bad : new String[]{"2001:db8::1::2", "2001:db8:1", "12345::", "g::1", ":1", "1:2:3:4:5:6:7:8:9", "1.2.3.4::"}) {
            assertThatThrownBy(() -> Ipv6.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void staticWanIsCheckedAgainstItsSubnetAndTheLan() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(fields(base.withWan(Specs.staticWan("203.0.113.2/24", "198.51.100.1", List.of("203.0.113.53")))))
                .containsExactly("wan.gateway");
        assertThat(fields(base.withWan(Specs.staticWan("192.168.1.2/16", "192.168.0.1", List.of("192.168.0.53")))))
                .containsExactly("wan.address");
        assertThat(fields(base.withWan(Specs.staticWan("203.0.113.2/24", "203.0.113.1", List.of()))))
                .containsExactly("wan.dns");
        assertThat(fields(base.withWan(Specs.staticWan("203.0.113.2/24", "203.0.113.1", List.of("203.0.113.53", "nope")))))
                .containsExactly("wan.dns[1]");
    }

    @Test
    void l2tpServerMustBeAnAddressOrHostname() {
        assertThat(fields(pppoeProfile("home").withWan(Specs.l2tp("300.1.1.1")))).containsExactly("wan.server");
        assertThat(fields(pppoeProfile("home").withWan(Specs.l2tp("lns;reboot")))).containsExactly("wan.server");
        assertThat(fields(pppoeProfile("home").withWan(Specs.l2tp(null)))).containsExactly("wan.server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tcpdump", "t", "tcp dump", "tcpdump;reboot", "$(reboot)", "-tcpdump", "../x", "tcpdump\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void badPackageNames(String name) {
        assertThat(fields(Specs.withPackages(pppoeProfile("home"), List.of(name)))).containsExactly("packages[0]");
    }

    @Test
    void packagesFollowDebianNamesAndLimits() {
        assertThat(fields(Specs.withPackages(pppoeProfile("home"), List.of("libstdc++6", "iperf3", "g++-12", "lib.x")))).isEmpty();
        assertThat(fields(Specs.withPackages(pppoeProfile("home"), List.of("tcpdump", "tcpdump")))).containsExactly("packages[1]");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add("pkg" + i);
        }
        assertThat(fields(Specs.withPackages(pppoeProfile("home"), many))).containsExactly("packages");
    }

    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";

    static ProfileSpec withKeys(List<String> services, List<String> keys) {
        return Specs.withServices(pppoeProfile("home"), services).withSettings(new ServiceSettings(new SshSettings(keys)));
    }

    @Test
    void sshKeysAreCheckedLineByLineAndOnlyWithTheSshService() {
        assertThat(fields(withKeys(List.of("ssh"), List.of(KEY, KEY.substring(0, KEY.lastIndexOf(' ')))))).isEmpty();
        assertThat(fields(withKeys(List.of("dnsmasq"), List.of(KEY)))).containsExactly("settings.ssh");
        assertThat(fields(withKeys(List.of("ssh"), List.of()))).containsExactly("settings.ssh.authorizedKeys");
        assertThat(fields(withKeys(List.of("ssh"), java.util.Collections.nCopies(17, KEY)))).containsExactly("settings.ssh.authorizedKeys");
        List<Violation> v = ProfileValidator.validate(withKeys(List.of("ssh"), List.of(KEY, "-----BEGIN OPENSSH PRIVATE KEY-----",
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x", "ssh-ed25519 not*base64",
                KEY + "\nssh-ed25519 AAAA evil", "command=\"sh\" " + KEY)), Secrets.REQUIRED);
        assertThat(v).extracting(Violation::field).containsExactly("settings.ssh.authorizedKeys[1]", "settings.ssh.authorizedKeys[2]",
                "settings.ssh.authorizedKeys[3]", "settings.ssh.authorizedKeys[4]", "settings.ssh.authorizedKeys[5]");
        assertThat(v.get(0).message()).contains("not a private key");
        assertThat(v.get(1).message()).contains("does not match its type 'ssh-rsa'");
        assertThat(v.get(2).message()).contains("not base64");
    }

    static ProfileSpec withFirewall(List<String> services, List<FirewallSettings.PortForward> forwards, List<String> open) {
        return Specs.withServices(pppoeProfile("home"), services).withSettings(new ServiceSettings(new FirewallSettings(forwards, open), null));
    }

    static FirewallSettings.PortForward fwd(String proto, Integer wan, String address, Integer lan) {
        return new FirewallSettings.PortForward(proto, wan, address, lan);
    }

    @Test
    void portForwardsGoToALanHostAndEachWanPortOnce() {
        List<String> on = List.of("dnsmasq", "firewall", "nat", "ssh");
        assertThat(fields(withFirewall(on, List.of(fwd("tcp", 8080, "192.168.1.50", 80), fwd("udp", 8080, "192.168.1.51", 8080)),
                List.of("ssh")))).isEmpty();
        // Without the firewall the settings would do nothing: an error, like ssh keys without ssh.
        assertThat(fields(withFirewall(List.of("dnsmasq"), List.of(fwd("tcp", 8080, "192.168.1.50", 80)), null)))
                .containsExactly("settings.firewall");
        List<Violation> v = ProfileValidator.validate(withFirewall(on, List.of(
                fwd("icmp", 0, "192.168.2.5", 70000),
                fwd("tcp", 8080, "192.168.1.1", 80),
                fwd("tcp", 8080, "192.168.1.50", 80),
                fwd("tcp", 22, "192.168.1.50", 22),
                fwd("udp", null, "192.168.1.255", null),
                fwd("tcp", 2222, "not an address", 22)), List.of("ssh")), Secrets.REQUIRED);
        assertThat(v).extracting(Violation::field).containsExactly(
                "settings.firewall.portForwards[0].proto", "settings.firewall.portForwards[0].wanPort",
                "settings.firewall.portForwards[0].lanPort", "settings.firewall.portForwards[0].lanAddress",
                "settings.firewall.portForwards[1].lanAddress",
                "settings.firewall.portForwards[2].wanPort",
                "settings.firewall.portForwards[3].wanPort",
                "settings.firewall.portForwards[4].wanPort", "settings.firewall.portForwards[4].lanPort",
                "settings.firewall.portForwards[4].lanAddress",
                "settings.firewall.portForwards[5].lanAddress");
        assertThat(v.get(0).message()).isEqualTo("must be tcp or udp (got 'icmp')");
        assertThat(v.get(3).message()).contains("inside the LAN subnet 192.168.1.0/24");
        assertThat(v.get(4).message()).contains("router's own LAN address");
        assertThat(v.get(5).message()).contains("tcp port 8080 is already forwarded by port forward 2");
        assertThat(v.get(6).message()).contains("the router's own ssh, opened on the WAN");
    }

    @Test
    void onlyAnEnabledServiceThatCanServeTheWanIsOpenedThere() {
        assertThat(fields(withFirewall(List.of("firewall", "ssh"), null, List.of("ssh")))).isEmpty();
        List<Violation> v = ProfileValidator.validate(withFirewall(List.of("firewall", "dnsmasq"), null,
                List.of("ssh", "dnsmasq", "telnet")), Secrets.REQUIRED);
        assertThat(v).extracting(Violation::field).containsExactly("settings.firewall.openOnWan[0]",
                "settings.firewall.openOnWan[1]", "settings.firewall.openOnWan[2]");
        assertThat(v.get(0).message()).contains("does not enable it").contains("add \"ssh\" to services");
        assertThat(v.get(1).message()).contains("not a service that can be opened on the WAN — use one of ssh");
        assertThat(fields(withFirewall(List.of("firewall", "ssh"), null, List.of("ssh", "ssh")))).containsExactly("settings.firewall.openOnWan[1]");
    }

    @Test
    void firewallSettingsSurviveTheCanonicalJsonAndEmptyOnesVanish() {
        ProfileSpec spec = withFirewall(List.of("ssh", "firewall"), List.of(fwd("tcp", 8080, " 192.168.1.50 ", 80)), List.of("ssh"));
        ProfileSpec back = ProfileJson.read(ProfileJson.write(ProfileJson.normalize(spec)));
        assertThat(back.settings().firewall().portForwards()).containsExactly(fwd("tcp", 8080, "192.168.1.50", 80));
        assertThat(back.settings().firewall().openOnWan()).containsExactly("ssh");
        assertThat(ProfileJson.normalize(withFirewall(List.of("firewall"), List.of(), List.of())).settings()).isNull();
    }

    @Test
    void vlanIsATagFrom1To4094ThatFitsTheInterfaceName() {
        ProfileSpec base = pppoeProfile("home");
        java.util.function.IntFunction<ProfileSpec> tagged = vlan -> new ProfileSpec(base.name(), base.description(), base.hostname(),
                base.target(), new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", null, vlan), base.interfaces().lan()),
                base.wan(), base.packages(), base.services(), base.files());
        assertThat(fields(tagged.apply(7))).isEmpty();
        assertThat(fields(tagged.apply(4094))).isEmpty();
        assertThat(fields(tagged.apply(0))).containsExactly("interfaces.wan.vlan");
        assertThat(fields(tagged.apply(4095))).containsExactly("interfaces.wan.vlan");
        ProfileSpec longName = new ProfileSpec(base.name(), base.description(), base.hostname(), base.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("enp0s31f6wan", null, 4000), base.interfaces().lan()),
                base.wan(), base.packages(), base.services(), base.files());
        assertThat(ProfileValidator.validate(longName, Secrets.REQUIRED)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("longer than Linux's 15 characters"));
    }

    @Test
    void servicesComeFromTheCatalogue() {
        assertThat(fields(Specs.withServices(pppoeProfile("home"), List.of("dnsmasq", "nat", "ntp", "ssh", "syslog")))).isEmpty();
        assertThat(fields(Specs.withServices(pppoeProfile("home"), List.of("telnetd")))).containsExactly("services[0]");
        assertThat(fields(Specs.withServices(pppoeProfile("home"), List.of("nat", "nat")))).containsExactly("services[1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/../root/.ssh/authorized_keys", "etc/motd", "/etc", "/etc/", "/etc//motd", "/etc/./motd",
            "/etc/motd/", "/root/x", "/etcx/motd", "/etc/mo\0td", "/etc/mo td", "/etc/$(reboot)", "/etc/passwd", "/etc/shadow",
            "/etc/resolv.conf", "/etc/ppp/peers/wan", "/etc/openntpd/ntpd.conf", "/etc/dropbear/authorized_keys", "/etc/s6/rc/plan",
            "/etc/a\nb", "/etc/…", "/etc/ｍotd"})
    void badFilePaths(String path) {
        ProfileSpec spec = Specs.withFiles(pppoeProfile("home"), List.of(new FileSpec(path, "0644", "x")));
        assertThat(fields(spec)).containsExactly("files[0].path");
    }

    @Test
    void filesAreConfinedAndLimited() {
        ProfileSpec base = pppoeProfile("home");
        assertThat(fields(Specs.withFiles(base, List.of(new FileSpec("/etc/motd", "0600", "welcome"))))).isEmpty();
        assertThat(fields(Specs.withFiles(base, List.of(new FileSpec("/etc/motd", "4755", "x"))))).containsExactly("files[0].mode");
        assertThat(fields(Specs.withFiles(base, List.of(new FileSpec("/etc/motd", "rw-r--r--", "x"))))).containsExactly("files[0].mode");
        assertThat(fields(Specs.withFiles(base, List.of(new FileSpec("/etc/motd", "0644", "x".repeat(64 * 1024 + 1))))))
                .containsExactly("files[0].content");
        assertThat(fields(Specs.withFiles(base, List.of(new FileSpec("/etc/motd", "0644", "x"), new FileSpec("/etc/motd", "0644", "y")))))
                .containsExactly("files[1].path");
        List<FileSpec> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add(new FileSpec("/etc/f" + i, "0644", ""));
        }
        assertThat(fields(Specs.withFiles(base, many))).containsExactly("files");
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        ProfileSpec bad = new ProfileSpec("Bad Name", null, "-x", "arm", null, null, List.of("BAD"), List.of("telnet"), null);
        assertThat(fields(bad)).containsExactlyInAnyOrder("name", "hostname", "target", "interfaces", "wan", "packages[0]", "services[0]");
    }
}
