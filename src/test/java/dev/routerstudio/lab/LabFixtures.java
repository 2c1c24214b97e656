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

    static ProfileSpec pppoe(String password) {
        return profile("lab-pppoe", new dev.routerstudio.profile.PppoeWan("user@isp", password, null, null, null, null, null, null));
    }

    static ProfileSpec dhcp() {
        return profile("lab-dhcp", new dev.routerstudio.profile.DhcpWan());
    }

    static ProfileSpec l2tp() {
        return profile("lab-l2tp", new dev.routerstudio.profile.L2tpWan("203.0.113.1", "user@isp", "l2tp secret"));
    }

    static ProfileSpec staticWan() {
        return profile("lab-static", new dev.routerstudio.profile.StaticWan("203.0.113.2/24", "203.0.113.1", List.of("203.0.113.53")));
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
