package dev.routerstudio.lab;

import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.BuildResult;
import dev.routerstudio.pipeline.FirmwarePipeline;
import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.profile.ProfileSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Router images and settings shared by the lab tests: each profile is built once per test run
 * with the real pipeline (package cache under target/package-cache), or reused from an earlier
 * run when the spec hash matches.
 */
final class LabFixtures {

    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path CACHE = TARGET.resolve("package-cache");
    static final Path DATA = TARGET.resolve("lab-data");
    private static final Map<ProfileSpec, LabRequest> BUILT = new HashMap<>();
    private static final Map<ProfileSpec, BuildResult> RESULTS = new HashMap<>();

    private LabFixtures() {
    }

    static ProfileSpec profile(String name, dev.routerstudio.profile.WanSpec wan) {
        return new ProfileSpec(name, "lab test", "gateway", "malta-mipsel",
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", null),
                        new ProfileSpec.LanInterface("eth1", "192.168.1.1/24", null,
                                new ProfileSpec.DhcpRange("192.168.1.100", "192.168.1.199"))),
                wan, List.of(), List.of("dnsmasq", "nat"), List.of());
    }

    /**
     * IPv6 off: the lab's ISP cannot serve DHCPv6 on a PPP interface (ISC dhcpd 4.4.3 refuses ppp0,
     * "Unsupported device type 512"), so the PPP labs prove that a profile with IPv6 off has no
     * IPv6 client at all (the ipv6 checks are skipped) until the ISP gets a server that can.
     */
    static final dev.routerstudio.profile.Ipv6Settings IPV6_OFF = new dev.routerstudio.profile.Ipv6Settings(false, null);

    /** PPPoE on a tagged WAN (VLAN 35, as some ISPs use), the ISP serving on the same VLAN; IPv6 off (see IPV6_OFF). */
    static ProfileSpec pppoe(String password) {
        ProfileSpec p = profile("lab-pppoe", new dev.routerstudio.profile.PppoeWan("user@isp", password, null, null, null, null, null, null));
        return new ProfileSpec(p.name(), p.description(), p.hostname(), p.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", null, 35), p.interfaces().lan()),
                p.wan(), IPV6_OFF, p.packages(), p.services(), null, p.files());
    }

    /** The key pair whose public half the DHCP lab's router trusts (settings.ssh.authorizedKeys). */
    static final TestSshKey SSH_KEY = TestSshKey.generate("lab-test@router-studio");

    /**
     * DHCP on VLAN 7 with both MTUs set and ssh on: the link check reads the MTUs and the tag, the
     * ssh-key check logs in from the LAN client with {@link #SSH_KEY}.
     */
    static ProfileSpec dhcp() {
        ProfileSpec p = profile("lab-dhcp", new dev.routerstudio.profile.DhcpWan());
        return new ProfileSpec(p.name(), p.description(), p.hostname(), p.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", 1400, 7),
                        new ProfileSpec.LanInterface("eth1", "192.168.1.1/24", 1450, p.interfaces().lan().dhcpRange())),
                p.wan(), p.packages(), List.of("dnsmasq", "nat", "ssh"),
                new dev.routerstudio.profile.ServiceSettings(new dev.routerstudio.profile.SshSettings(List.of(SSH_KEY.publicLine()))),
                p.files());
    }

    /** A lab of a router that trusts {@link #SSH_KEY}, given the private half for the ssh-key check. */
    static LabRequest withSshKey(LabRequest req) {
        return req.withLab(req.lab().withVariable("ssh.key", "true").withVariable("ssh.key.b64", SSH_KEY.dropbearPrivateBase64()));
    }

    static ProfileSpec l2tp() {
        return profile("lab-l2tp", new dev.routerstudio.profile.L2tpWan("203.0.113.1", "user@isp", "l2tp secret")).withIpv6(IPV6_OFF);
    }

    static ProfileSpec staticWan() {
        return profile("lab-static", new dev.routerstudio.profile.StaticWan("203.0.113.2/24", "203.0.113.1", List.of("203.0.113.53"),
                "2001:db8:1::2/64", "2001:db8:1::1", "2001:db8:5:100::/56"));
    }

    /** The router image for a spec, built once; the request carries the build's own lab.json. */
    static synchronized LabRequest router(ProfileSpec spec) throws IOException {
        LabRequest cached = BUILT.get(spec);
        if (cached != null) {
            return cached;
        }
        Path work = TARGET.resolve("lab-builds").resolve(spec.name());
        Files.createDirectories(work);
        BuildContext ctx = BuildContext.of(work, CACHE, line -> { }, (s, f) -> { });
        long t0 = System.nanoTime();
        BuildResult r = new FirmwarePipeline().build(spec, ctx);
        System.out.println("built " + spec.name() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms, spec hash " + r.specHash());
        LabRequest req = new LabRequest(r.specHash().substring(0, 12), r.artifact("vmlinuz").path(),
                r.artifact("initramfs.cpio.xz").path(), r.artifact("rootfs.squashfs").path(),
                LabDescription.read(r.artifact("lab.json").path(), spec.name() + "/lab.json"), true, null, true);
        BUILT.put(spec, req);
        RESULTS.put(spec, r);
        return req;
    }

    /** The firmware.tar of a spec's build (built by {@link #router} if it was not yet). */
    static synchronized Path firmwareTar(ProfileSpec spec) throws IOException {
        router(spec);
        return RESULTS.get(spec).artifact("firmware.tar").path();
    }

    static LabSettings settings() {
        return LabSettings.defaults(DATA, CACHE);
    }
}
