package dev.routerstudio.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One image as its plan builds it: what to build (the target, the recipe) and
 * what the steps have made so far. Each step fills in its part for the steps after it; the
 * image files land in the build context's artifacts dir.
 */
public class ImageWork {

    final TargetSpec target;
    final Duration maxListAge;
    final ImageRecipe recipe;
    final RootfsLayout root = new RootfsLayout();
    ResolveStage.Resolution resolution;
    List<UnpackedPackage> userland;
    UnpackedPackage kernelPackage;
    UnpackedPackage busybox;
    /** The initramfs's busybox when it is not the root's (the root's is a slim rebuild); null: the same. */
    UnpackedPackage bootBusybox;
    /** What the PATH packages' maintainer scripts set up (users, groups, shells); EtcStage writes it. */
    PackageSetup.Result packageSetup = PackageSetup.Result.NONE;
    /** Paths prune kept as data files (not programs or libraries); the size chart shows them apart. */
    java.util.Set<String> dataFiles = java.util.Set.of();
    KernelStage.Kernel kernel;
    Path rootfs;
    Path initramfs;

    /** maxListAge: how old the private apt lists may get before the resolve step runs apt-get update. */
    public ImageWork(TargetSpec target, Duration maxListAge, ImageRecipe recipe) {
        this.target = target;
        this.maxListAge = maxListAge;
        this.recipe = recipe;
    }

    public ResolveStage.Resolution resolution() {
        return resolution;
    }

    public RootfsLayout root() {
        return root;
    }

    public KernelStage.Kernel kernel() {
        return kernel;
    }

    public Path rootfs() {
        return rootfs;
    }

    public Path initramfs() {
        return initramfs;
    }
}
