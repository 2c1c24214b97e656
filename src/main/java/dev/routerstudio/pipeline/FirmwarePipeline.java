package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a validated profile into a firmware for its target (image-pipeline/targets/) by running its plan: resolve,
 * unpack, prune, services, etc, kernel, rootfs, initramfs, bundle. Plain Java and external
 * tools; no web classes. Failures are {@link PipelineException}s with a one-line reason;
 * cancelling the context stops between steps and kills any running tool.
 */
public final class FirmwarePipeline {

    /** A firmware as its plan builds it: an image, plus what the profile adds and the bundle. */
    private static final class Firmware extends ImageWork {
        final ProfileSpec spec;
        final byte[] hashKey;
        final MinisignKey signingKey;
        String specHash;
        Map<String, String> values;
        ServiceSet services;
        List<BuildResult.PackageVersion> versions;
        Map<String, SlimStage.SlimBuild> slim = Map.of();
        List<BuildResult.Artifact> parts;
        Path manifest;
        Path firmware;
        Path signature;

        Firmware(ProfileSpec spec, Duration maxListAge, byte[] hashKey, MinisignKey signingKey) {
            super(TargetSpec.load(spec.target()), maxListAge, ImageRecipe.of(spec));
            this.spec = spec;
            this.hashKey = hashKey;
            this.signingKey = signingKey;
        }
    }

    private static final Plan<Firmware> PLAN = Plan.of(
            new Step<Firmware>("resolve", (ctx, w) -> {
                ImageSteps.RESOLVE.job().run(ctx, w);
                w.specHash = SpecHash.of(w.spec, w.resolution.all(), w.hashKey, keyId(w.signingKey));
                ctx.log("spec hash " + w.specHash);
            }),
            new Step<Firmware>("unpack", (ctx, w) -> {
                ImageSteps.UNPACK.job().run(ctx, w);
                if (w.spec.slimEnabled()) {
                    SlimStage.Result slim = new SlimStage(new ResolveStage(w.target.arch(), w.maxListAge), w.target.triplet()).run(ctx, w.userland);
                    w.userland = slim.userland();
                    w.slim = slim.slim();
                    // The initramfs keeps Debian's busybox-static: its /init may use any applet.
                    w.bootBusybox = w.busybox;
                    w.busybox = w.userland.stream().filter(p -> p.pkg().name().equals("busybox-static")).findFirst().orElseThrow();
                } else {
                    ctx.log("slim: off in this profile, Debian's binaries throughout");
                }
            }),
            ImageSteps.PRUNE,
            new Step<Firmware>("services", (ctx, w) -> {
                w.values = ProfileValues.of(w.spec, w.recipe.uplink());
                ServicesStage servicesStage = new ServicesStage();
                w.services = servicesStage.generate(w.recipe, w.values);
                servicesStage.install(w.services, w.root);
                ctx.log("services: boot order " + String.join(" ", w.services.bootOrder()));
            }),
            new Step<Firmware>("etc", (ctx, w) -> new EtcStage().run(w.spec, w.recipe, w.values, w.packageSetup, w.root)),
            ImageSteps.KERNEL,
            ImageSteps.ROOTFS,
            ImageSteps.INITRAMFS,
            new Step<Firmware>("bundle", FirmwarePipeline::bundle));

    public static final List<String> STAGES = PLAN.names();
    /** The firewall's ruleset in the image, and its name as a build artifact and in firmware.tar. */
    public static final String RULESET_IN_IMAGE = "/etc/nftables/studio_fw.nft";
    public static final String RULESET = "studio_fw.nft";

    private final Duration maxListAge;
    private final byte[] hashKey;
    private final MinisignKey signingKey;

    /** A pipeline whose bundles are not signed (tests and command-line builds). */
    public FirmwarePipeline() {
        this(Duration.ofDays(7));
    }

    /** maxListAge: how old the private apt lists may get before a build runs apt-get update. */
    public FirmwarePipeline(Duration maxListAge) {
        this(maxListAge, null);
    }

    /** hashKey: keys the password's part of the spec hash (see {@link SpecHash#of(ProfileSpec, List, byte[])}). */
    public FirmwarePipeline(Duration maxListAge, byte[] hashKey) {
        this(maxListAge, hashKey, null);
    }

    /** signingKey: signs each firmware.tar into firmware.tar.minisig; null for unsigned bundles. */
    public FirmwarePipeline(Duration maxListAge, byte[] hashKey, MinisignKey signingKey) {
        this.maxListAge = maxListAge;
        this.hashKey = hashKey == null ? null : hashKey.clone();
        this.signingKey = signingKey;
    }

    /**
     * The spec hash a build of this spec would get, from apt's package versions only (nothing is
     * downloaded or built), so a caller can find an identical finished build first.
     */
    public String specHash(ProfileSpec spec, BuildContext ctx) {
        ImageRecipe recipe = ImageRecipe.of(spec);
        TargetSpec target = TargetSpec.load(spec.target());
        ResolveStage.Resolution res = new ResolveStage(target.arch(), maxListAge).run(ctx, recipe.packages(), recipe.profilePackages(), target.kernelPackage(), false);
        return SpecHash.of(spec, res.all(), hashKey, keyId(signingKey));
    }

    private static String keyId(MinisignKey key) {
        return key == null ? null : key.keyId();
    }

    public BuildResult build(ProfileSpec spec, BuildContext ctx) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(ctx.artifactsDir());
        } catch (IOException e) {
            throw new PipelineException("cannot create " + ctx.artifactsDir() + ": " + e.getMessage());
        }
        Firmware w = new Firmware(spec, maxListAge, hashKey, signingKey);
        PLAN.run(ctx, w);

        List<BuildResult.Artifact> artifacts = new ArrayList<>(w.parts);
        artifacts.add(artifact(w.manifest));
        artifacts.add(artifact(w.firmware));
        if (w.signature != null) {
            artifacts.add(artifact(w.signature));
        }
        List<BuildResult.SizeEntry> byPackage = RootfsStage.sizeByOrigin(w.root, w.dataFiles).entrySet().stream()
                .map(e -> new BuildResult.SizeEntry(w.slim.containsKey(e.getKey()) ? e.getKey() + " (slim)" : e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(BuildResult.SizeEntry::bytes).reversed()).toList();
        List<BuildResult.SizeEntry> largest = w.root.files().stream()
                .map(e -> new BuildResult.SizeEntry(e.path(), e.size()))
                .sorted(Comparator.comparingLong(BuildResult.SizeEntry::bytes).reversed().thenComparing(BuildResult.SizeEntry::name))
                .limit(20).toList();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        ctx.log("build done in " + elapsed + " ms: rootfs.squashfs " + artifact(w.rootfs).size() + " bytes");
        return new BuildResult(w.specHash, List.copyOf(artifacts), List.copyOf(w.versions), byPackage, largest,
                w.services.graph().nodes(), w.services.graph().edges(), w.services.bootOrder(), w.kernel.features(),
                w.kernel.version(), elapsed);
    }

    /**
     * firmware.tar: kernel, initramfs, rootfs, run-qemu.sh, sbom.cdx.json, manifest.json and the
     * service set's source; then firmware.tar.minisig beside it when the pipeline has a signing key.
     */
    private static void bundle(BuildContext ctx, Firmware w) {
        Path out = ctx.artifactsDir();
        Path vmlinuz = out.resolve("vmlinuz");
        Path runQemu = out.resolve("run-qemu.sh");
        try {
            Files.copy(w.kernel.vmlinuz(), vmlinuz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PipelineException("copying the kernel into " + out + ": " + e.getMessage());
        }
        BundleStage bundleStage = new BundleStage();
        bundleStage.runQemu(w.target, runQemu);
        Path labJson = LabDescription.of(w.recipe, w.values).write(out.resolve(LabDescription.FILE));
        Set<String> origins = w.root.files().stream().map(FsEntry::origin).collect(Collectors.toSet());
        origins.add(w.kernelPackage.pkg().name());
        List<BuildResult.PackageVersion> versions = new ArrayList<>();
        for (ResolvedPackage p : w.resolution.all()) {
            SlimStage.SlimBuild slim = w.slim.get(p.name());
            versions.add(new BuildResult.PackageVersion(p.name(), p.version(), p.arch(), origins.contains(p.name()), slim));
            if (slim != null && w.bootBusybox != null && p.name().equals(w.bootBusybox.pkg().name())) {
                // Debian's own busybox-static is in the image too: the initramfs runs it.
                versions.add(new BuildResult.PackageVersion(p.name(), p.version(), p.arch(), true));
            }
        }
        Map<String, UnpackedPackage> unpacked = new LinkedHashMap<>();
        for (UnpackedPackage u : w.userland) {
            unpacked.put(u.pkg().name(), u);
        }
        unpacked.put(w.kernelPackage.pkg().name(), w.kernelPackage);
        Path sbom = CycloneDxSbom.write(w.spec.name(), w.specHash,
                CycloneDxSbom.facts(versions, unpacked, w.kernelPackage.pkg().name()), SpecHash.sourcesDigest(), out.resolve(CycloneDxSbom.FILE));
        List<Path> shown = new ArrayList<>(List.of(vmlinuz, w.initramfs, w.rootfs, runQemu, labJson, sbom));
        Path ruleset = ruleset(w.root, out);
        if (ruleset != null) {
            shown.add(ruleset);
        }
        List<BuildResult.Artifact> parts = new ArrayList<>();
        for (Path p : shown) {
            parts.add(artifact(p));
        }
        Path manifest = bundleStage.manifest(w.spec, w.specHash, versions, w.kernel, parts, w.signingKey, out.resolve("manifest.json"));
        Map<String, Path> top = new LinkedHashMap<>();
        shown.add(manifest);
        for (Path p : shown) {
            top.put(p.getFileName().toString(), p);
        }
        w.firmware = bundleStage.bundle(ctx, top, w.services, out.resolve("firmware.tar"));
        if (w.signingKey != null) {
            // Only what is fixed by the spec goes in the signed comment: a rebuild signs to the same bytes.
            w.signature = w.signingKey.signNextTo(w.firmware, "file:firmware.tar\tprofile:" + w.spec.name() + "\tspecHash:" + w.specHash);
            ctx.log("signed firmware.tar with key " + w.signingKey.keyId());
        }
        w.versions = versions;
        w.parts = parts;
        w.manifest = manifest;
    }

    /** The firewall's generated ruleset, as it is in the image, next to the firmware (to read before booting it); null without a firewall. */
    private static Path ruleset(RootfsLayout root, Path out) {
        FsEntry e = root.get(RULESET_IN_IMAGE);
        if (e == null) {
            return null;
        }
        Path p = out.resolve(RULESET);
        try {
            Files.write(p, e.content());
        } catch (IOException ex) {
            throw new PipelineException("writing " + p + ": " + ex.getMessage());
        }
        return p;
    }

    private static BuildResult.Artifact artifact(Path p) {
        try {
            return new BuildResult.Artifact(p.getFileName().toString(), p, Files.size(p), SpecHash.sha256(p));
        } catch (IOException e) {
            throw new PipelineException("cannot read artifact " + p + ": " + e.getMessage());
        }
    }
}
