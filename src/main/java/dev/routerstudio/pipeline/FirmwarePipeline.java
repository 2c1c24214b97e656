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
 * Turns a validated profile into a firmware for its target (image-pipeline/targets/), one stage after another:
 * resolve, unpack, prune, services, etc, kernel, rootfs, initramfs, bundle. Plain Java and
 * external tools; no web classes. Failures are {@link PipelineException}s with a one-line
 * reason; cancelling the context stops between steps and kills any running tool.
 */
public final class FirmwarePipeline {

    public static final List<String> STAGES = List.of("resolve", "unpack", "prune", "services", "etc", "kernel",
            "rootfs", "initramfs", "bundle");

    private final Duration maxListAge;
    private final byte[] hashKey;

    public FirmwarePipeline() {
        this(Duration.ofDays(7));
    }

    /** maxListAge: how old the private apt lists may get before a build runs apt-get update. */
    public FirmwarePipeline(Duration maxListAge) {
        this(maxListAge, null);
    }

    /** hashKey: keys the password's part of the spec hash (see {@link SpecHash#of(ProfileSpec, List, byte[])}). */
    public FirmwarePipeline(Duration maxListAge, byte[] hashKey) {
        this.maxListAge = maxListAge;
        this.hashKey = hashKey == null ? null : hashKey.clone();
    }

    /**
     * The spec hash a build of this spec would get, from apt's package versions only (nothing is
     * downloaded or built), so a caller can find an identical finished build first.
     */
    public String specHash(ProfileSpec spec, BuildContext ctx) {
        ImageRecipe recipe = ImageRecipe.of(spec);
        TargetSpec target = TargetSpec.load(spec.target());
        ResolveStage.Resolution res = new ResolveStage(target.arch(), maxListAge).run(ctx, recipe.packages(), target.kernelPackage(), false);
        return SpecHash.of(spec, res.all(), hashKey);
    }

    public BuildResult build(ProfileSpec spec, BuildContext ctx) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(ctx.artifactsDir());
        } catch (IOException e) {
            throw new PipelineException("cannot create " + ctx.artifactsDir() + ": " + e.getMessage());
        }
        Path out = ctx.artifactsDir();

        stage(ctx, "resolve");
        TargetSpec target = TargetSpec.load(spec.target());
        ImageRecipe recipe = ImageRecipe.of(spec);
        ResolveStage.Resolution res = new ResolveStage(target.arch(), maxListAge).run(ctx, recipe.packages(), target.kernelPackage());
        String specHash = SpecHash.of(spec, res.all(), hashKey);
        ctx.log("spec hash " + specHash);

        stage(ctx, "unpack");
        List<UnpackedPackage> unpacked = new UnpackStage().run(ctx, res.all());
        List<UnpackedPackage> userland = unpacked.subList(0, res.userland().size());
        UnpackedPackage kernelPkg = unpacked.get(unpacked.size() - 1);
        UnpackedPackage busybox = userland.stream().filter(p -> p.pkg().name().equals("busybox-static")).findFirst()
                .orElseThrow(() -> new PipelineException("busybox-static is not in the resolved packages"));

        stage(ctx, "prune");
        RootfsLayout root = new RootfsLayout();
        new PruneStage(target.libraryDirs()).run(ctx, recipe, userland, root);
        ctx.progress().stage("prune", 1);

        stage(ctx, "services");
        Map<String, String> values = ProfileValues.of(spec, recipe.uplink());
        ServicesStage servicesStage = new ServicesStage();
        ServiceSet services = servicesStage.generate(recipe, values);
        servicesStage.install(services, root);
        ctx.log("services: boot order " + String.join(" ", services.bootOrder()));
        ctx.progress().stage("services", 1);

        stage(ctx, "etc");
        new EtcStage().run(spec, recipe, values, root);
        ctx.progress().stage("etc", 1);

        stage(ctx, "kernel");
        KernelStage kernelStage = new KernelStage();
        KernelStage.Kernel kernel = kernelStage.run(ctx, recipe, kernelPkg);
        kernelStage.install(ctx, kernel, root);
        ctx.progress().stage("kernel", 1);

        stage(ctx, "rootfs");
        RootfsStage rootfsStage = new RootfsStage(target.userEmulator());
        rootfsStage.addBusyboxApplets(ctx, busybox, root);
        Path squashfs = rootfsStage.run(ctx, root, out.resolve("rootfs.squashfs"));

        stage(ctx, "initramfs");
        Path initramfs = new InitramfsStage().run(ctx, kernel, busybox, out.resolve("initramfs.cpio.xz"));
        ctx.progress().stage("initramfs", 1);

        stage(ctx, "bundle");
        Path vmlinuz = out.resolve("vmlinuz");
        Path runQemu = out.resolve("run-qemu.sh");
        try {
            Files.copy(kernel.vmlinuz(), vmlinuz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PipelineException("copying the kernel into " + out + ": " + e.getMessage());
        }
        BundleStage bundleStage = new BundleStage();
        bundleStage.runQemu(target, runQemu);
        Path labJson = LabDescription.of(recipe, values).write(out.resolve(LabDescription.FILE));
        Set<String> origins = root.files().stream().map(FsEntry::origin).collect(Collectors.toSet());
        origins.add(kernelPkg.pkg().name());
        List<BuildResult.PackageVersion> versions = new ArrayList<>();
        for (ResolvedPackage p : res.all()) {
            versions.add(new BuildResult.PackageVersion(p.name(), p.version(), p.arch(), origins.contains(p.name())));
        }
        List<BuildResult.Artifact> parts = new ArrayList<>();
        for (Path p : List.of(vmlinuz, initramfs, squashfs, runQemu, labJson)) {
            parts.add(artifact(p));
        }
        Path manifest = bundleStage.manifest(spec, specHash, versions, kernel, parts, out.resolve("manifest.json"));
        Map<String, Path> top = new LinkedHashMap<>();
        for (Path p : List.of(vmlinuz, initramfs, squashfs, runQemu, labJson, manifest)) {
            top.put(p.getFileName().toString(), p);
        }
        Path firmware = bundleStage.bundle(ctx, top, services, out.resolve("firmware.tar"));
        ctx.progress().stage("bundle", 1);

        List<BuildResult.Artifact> artifacts = new ArrayList<>(parts);
        artifacts.add(artifact(manifest));
        artifacts.add(artifact(firmware));
        List<BuildResult.SizeEntry> byPackage = RootfsStage.sizeByOrigin(root).entrySet().stream()
                .map(e -> new BuildResult.SizeEntry(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(BuildResult.SizeEntry::bytes).reversed()).toList();
        List<BuildResult.SizeEntry> largest = root.files().stream()
                .map(e -> new BuildResult.SizeEntry(e.path(), e.size()))
                .sorted(Comparator.comparingLong(BuildResult.SizeEntry::bytes).reversed().thenComparing(BuildResult.SizeEntry::name))
                .limit(20).toList();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        ctx.log("build done in " + elapsed + " ms: rootfs.squashfs " + artifact(squashfs).size() + " bytes");
        return new BuildResult(specHash, List.copyOf(artifacts), List.copyOf(versions), byPackage, largest,
                services.graph().nodes(), services.graph().edges(), services.bootOrder(), kernel.features(),
                kernel.version(), elapsed);
    }

    private static void stage(BuildContext ctx, String name) {
        ctx.checkCancelled();
        ctx.log("== " + name + " (" + java.time.Instant.now() + ")");
        ctx.progress().stage(name, 0);
    }

    private static BuildResult.Artifact artifact(Path p) {
        try {
            return new BuildResult.Artifact(p.getFileName().toString(), p, Files.size(p), SpecHash.sha256(p));
        } catch (IOException e) {
            throw new PipelineException("cannot read artifact " + p + ": " + e.getMessage());
        }
    }
}
