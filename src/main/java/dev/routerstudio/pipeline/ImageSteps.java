package dev.routerstudio.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * The steps every image shares, from Debian packages to a kernel, a squashfs root and an
 * initramfs; each hands its work to its stage class. Plans put their own steps between these.
 */
public final class ImageSteps {

    public static final Step<ImageWork> RESOLVE = new Step<>("resolve", (ctx, w) ->
            w.resolution = new ResolveStage(w.target.arch(), w.maxListAge).run(ctx, w.recipe.packages(), w.recipe.profilePackages(),
                    w.target.kernelPackage(), true));

    public static final Step<ImageWork> UNPACK = new Step<>("unpack", (ctx, w) -> {
        List<UnpackedPackage> unpacked = new UnpackStage().run(ctx, w.resolution.all());
        w.userland = unpacked.subList(0, w.resolution.userland().size());
        w.kernelPackage = unpacked.get(unpacked.size() - 1);
        w.busybox = w.userland.stream().filter(p -> p.pkg().name().equals("busybox-static")).findFirst()
                .orElseThrow(() -> new PipelineException("busybox-static is not in the resolved packages"));
    });

    public static final Step<ImageWork> PRUNE = new Step<>("prune", (ctx, w) -> {
        w.dataFiles = new PruneStage(w.target.libraryDirs()).run(ctx, w.recipe, w.userland, w.root);
        List<UnpackedPackage> onPath = w.userland.stream().filter(p -> w.recipe.profilePackages().contains(p.pkg().name())).toList();
        w.packageSetup = new PackageSetup().run(ctx, onPath, w.recipe.users(), w.root);
    });

    public static final Step<ImageWork> KERNEL = new Step<>("kernel", (ctx, w) -> {
        KernelStage kernelStage = new KernelStage();
        w.kernel = kernelStage.run(ctx, w.recipe, w.kernelPackage);
        kernelStage.install(ctx, w.kernel, w.root);
    });

    public static final Step<ImageWork> ROOTFS = new Step<>("rootfs", (ctx, w) -> {
        RootfsStage rootfsStage = new RootfsStage(w.target.userEmulator());
        // A PATH package's program is not shadowed by a busybox applet of the same name earlier on PATH.
        java.util.Set<String> fromPackages = new java.util.HashSet<>();
        for (FsEntry e : w.root.entries()) {
            if (e.kind() != FsEntry.Kind.DIR && w.recipe.profilePackages().contains(e.origin())
                    && List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin").contains(e.parent())) {
                fromPackages.add(e.name());
            }
        }
        Path libc = w.userland.stream().filter(p -> p.entries().stream().anyMatch(e -> e.path().equals(w.target.loader())))
                .map(UnpackedPackage::root).findFirst().orElse(null);
        rootfsStage.addBusyboxApplets(ctx, w.busybox, w.root, fromPackages, libc);
        RootfsStage.addFirmwareSums(w.root);
        w.rootfs = rootfsStage.run(ctx, w.root, ctx.artifactsDir().resolve("rootfs.squashfs"));
    });

    public static final Step<ImageWork> INITRAMFS = new Step<>("initramfs", (ctx, w) ->
            w.initramfs = new InitramfsStage().run(ctx, w.kernel, w.bootBusybox != null ? w.bootBusybox : w.busybox, ctx.artifactsDir().resolve("initramfs.cpio.xz")));

    private ImageSteps() {
    }
}
