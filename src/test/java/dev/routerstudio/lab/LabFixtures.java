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
                wan, List.of(), List.of("dnsmasq", "firewall", "nat"), List.of());
    }

    /** PPPoE on a tagged WAN (VLAN 35, as some ISPs use), the ISP serving on the same VLAN; IPv6 on (the default). */
    static ProfileSpec pppoe(String password) {
        ProfileSpec p = profile("lab-pppoe", new dev.routerstudio.profile.PppoeWan("user@isp", password, null, null, null, null, null, null));
        return new ProfileSpec(p.name(), p.description(), p.hostname(), p.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", null, 35), p.interfaces().lan()),
                p.wan(), null, p.packages(), p.services(), null, p.files());
    }

    /** The key pair whose public half the DHCP lab's router trusts (settings.ssh.authorizedKeys). */
    static final TestSshKey SSH_KEY = TestSshKey.generate("lab-test@router-studio");

    /** The DHCP lab's port forward: the ISP's port 8080 to the LAN client's httpd on 192.168.1.50:80. */
    static final dev.routerstudio.profile.FirewallSettings.PortForward FORWARD =
            new dev.routerstudio.profile.FirewallSettings.PortForward("tcp", 8080, "192.168.1.50", 80);

    /**
     * DHCP on VLAN 7 with both MTUs set and ssh on: the link check reads the MTUs and the tag, the
     * ssh-key check logs in from the LAN client with {@link #SSH_KEY}. Its firewall opens ssh on the
     * WAN and forwards {@link #FORWARD}, so wan-closed sees 22 and 8080 answer as the profile meant.
     */
    static ProfileSpec dhcp() {
        ProfileSpec p = profile("lab-dhcp", new dev.routerstudio.profile.DhcpWan());
        return new ProfileSpec(p.name(), p.description(), p.hostname(), p.target(),
                new ProfileSpec.Interfaces(new ProfileSpec.WanInterface("eth0", 1400, 7),
                        new ProfileSpec.LanInterface("eth1", "192.168.1.1/24", 1450, p.interfaces().lan().dhcpRange())),
                p.wan(), PATH_TOOLS, List.of("dnsmasq", "firewall", "nat", "ssh"),
                new dev.routerstudio.profile.ServiceSettings(
                        new dev.routerstudio.profile.FirewallSettings(List.of(FORWARD), List.of("ssh")),
                        new dev.routerstudio.profile.SshSettings(List.of(SSH_KEY.publicLine()))),
                p.files());
    }

    /** The DHCP router's next version, for an upgrade: the same, under its own name, with more packages on PATH. */
    static ProfileSpec dhcpWith(String... more) {
        ProfileSpec p = dhcp();
        List<String> packages = new java.util.ArrayList<>(p.packages());
        packages.addAll(List.of(more));
        return new ProfileSpec(p.name() + "-next", p.description(), p.hostname(), p.target(), p.interfaces(), p.wan(), p.ipv6(), packages,
                p.services(), p.settings(), p.files(), p.slim());
    }

    /**
     * Everyday tools the DHCP lab's router has on PATH; the path check runs each (qemu-runner/checks/path-programs.conf),
     * in this order. tcpdump first: a check's excerpt keeps its first 4000 characters, and the screens nano, less and
     * htop draw are long.
     */
    static final List<String> PATH_TOOLS = List.of("tcpdump", "nano", "less", "htop");

    /**
     * The same router with some paths taken out of its root squashfs (e.g. a tool's data files), for
     * checks that must fail: unsquashfs, delete, mksquashfs as the pipeline runs it, with the device
     * nodes and fifos (which unsquashfs cannot create as a normal user) as pseudo definitions.
     */
    static LabRequest without(LabRequest req, String name, String... imagePaths) throws IOException {
        Path dir = TARGET.resolve("lab-builds").resolve(name);
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path tree = dir.resolve("root");
        Path rootfs = dir.resolve("rootfs.squashfs");
        List<String> pseudo = new java.util.ArrayList<>();
        java.util.regex.Pattern node = java.util.regex.Pattern.compile(
                "^([cbp])(\\S{9}) \\S+\\s+(?:(\\d+),\\s*(\\d+)|\\d+) \\S+ \\S+ squashfs-root/(\\S+)$");
        for (String line : tool(dir, "unsquashfs", "-lls", "-no-xattrs", req.rootfs().toString())) {
            java.util.regex.Matcher m = node.matcher(line);
            if (m.matches()) {
                String kind = m.group(1).equals("p") ? "f" : m.group(1);
                String mode = Integer.toOctalString(permissions(m.group(2)));
                pseudo.add(m.group(5) + " " + kind + " " + mode + " 0 0" + (kind.equals("f") ? "" : " " + m.group(3) + " " + m.group(4)));
            }
        }
        tool(dir, "unsquashfs", "-no-xattrs", "-q", "-d", tree.toString(), req.rootfs().toString());
        for (String p : imagePaths) {
            Path gone = tree.resolve(p.substring(1));
            if (!Files.exists(gone, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(p + " is not in " + req.rootfs());
            }
            org.springframework.util.FileSystemUtils.deleteRecursively(gone);
        }
        Files.write(dir.resolve("pseudo"), pseudo);
        List<String> out = tool(dir, "mksquashfs", tree.toString(), rootfs.toString(), "-noappend", "-comp", "xz", "-b", "524288",
                "-all-root", "-all-time", "0", "-mkfs-time", "0", "-no-xattrs", "-pf", dir.resolve("pseudo").toString(),
                "-no-progress", "-quiet");
        if (!Files.exists(rootfs)) {
            throw new IllegalStateException("mksquashfs made no image: " + out);
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(tree);
        return new LabRequest(req.buildId() + "-" + name, req.kernel(), req.initramfs(), rootfs, req.lab(), req.shutdownCheck(),
                req.extraChecks(), req.builtInChecks(), req.leftOut());
    }

    private static int permissions(String rwx) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char c = rwx.charAt(i);
            if (c != '-') {
                mode |= 1 << (8 - i);
            }
        }
        return mode;
    }

    private static List<String> tool(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> out;
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            out = r.lines().toList();
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /** A lab of a router that trusts {@link #SSH_KEY}, given the private half for the ssh-key check. */
    static LabRequest withSshKey(LabRequest req) {
        return req.withLab(req.lab().withVariable("ssh.key", "true").withVariable("ssh.key.b64", SSH_KEY.dropbearPrivateBase64()));
    }

    static ProfileSpec l2tp() {
        return profile("lab-l2tp", new dev.routerstudio.profile.L2tpWan("203.0.113.1", "user@isp", "l2tp secret"));
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
                LabDescription.read(r.artifact("lab.json").path(), spec.name() + "/lab.json"), true, null, true, null);
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
