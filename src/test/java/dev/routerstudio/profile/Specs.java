package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileSpec.DhcpRange;
import dev.routerstudio.profile.ProfileSpec.FileSpec;
import dev.routerstudio.profile.ProfileSpec.Interfaces;
import dev.routerstudio.profile.ProfileSpec.LanInterface;
import dev.routerstudio.profile.ProfileSpec.WanInterface;

import java.util.List;

/** Valid profiles to start tests from; each test changes one thing. */
final class Specs {

    private Specs() {
    }

    static WanSpec pppoe(String username, String password) {
        return new PppoeWan(username, password, null, null, null, null, null, null);
    }

    static WanSpec dhcp() {
        return new DhcpWan();
    }

    static WanSpec l2tp(String server) {
        return new L2tpWan(server, "user", "pw");
    }

    static WanSpec staticWan(String address, String gateway, List<String> dns) {
        return new StaticWan(address, gateway, dns);
    }

    static ProfileSpec pppoeProfile(String name) {
        return new ProfileSpec(name, "Home gateway on PPPoE", "gateway", "malta-mipsel",
                new Interfaces(new WanInterface("eth0", null),
                        new LanInterface("eth1", "192.168.1.1/24", null, new DhcpRange("192.168.1.100", "192.168.1.199"))),
                pppoe("user@isp", "secret"), List.of("tcpdump"), List.of("dnsmasq", "nat", "ntp"),
                List.of(new FileSpec("/etc/motd", "0644", "hello\n")));
    }

    static ProfileSpec withLan(ProfileSpec s, LanInterface lan) {
        return new ProfileSpec(s.name(), s.description(), s.hostname(), s.target(), new Interfaces(s.interfaces().wan(), lan),
                s.wan(), s.packages(), s.services(), s.files());
    }

    static ProfileSpec withHostname(ProfileSpec s, String hostname) {
        return new ProfileSpec(s.name(), s.description(), hostname, s.target(), s.interfaces(), s.wan(), s.packages(), s.services(), s.files());
    }

    static ProfileSpec withPackages(ProfileSpec s, List<String> packages) {
        return new ProfileSpec(s.name(), s.description(), s.hostname(), s.target(), s.interfaces(), s.wan(), packages, s.services(), s.files());
    }

    static ProfileSpec withServices(ProfileSpec s, List<String> services) {
        return new ProfileSpec(s.name(), s.description(), s.hostname(), s.target(), s.interfaces(), s.wan(), s.packages(), services, s.files());
    }

    static ProfileSpec withFiles(ProfileSpec s, List<FileSpec> files) {
        return new ProfileSpec(s.name(), s.description(), s.hostname(), s.target(), s.interfaces(), s.wan(), s.packages(), s.services(), files);
    }
}
