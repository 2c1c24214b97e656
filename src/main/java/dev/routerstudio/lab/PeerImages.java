package dev.routerstudio.lab;

import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.FsEntry;
import dev.routerstudio.pipeline.ImageRecipe;
import dev.routerstudio.pipeline.ImageSteps;
import dev.routerstudio.pipeline.ImageWork;
import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.pipeline.Plan;
import dev.routerstudio.pipeline.ResolvedPackage;
import dev.routerstudio.pipeline.RootfsLayout;
import dev.routerstudio.pipeline.Step;
import dev.routerstudio.pipeline.TargetSpec;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the peer image as a plan of the firmware pipeline's own steps (resolve, unpack, prune,
 * kernel, rootfs, initramfs) from qemu-runner/peers/image for a target (targets/NAME/target.conf), and
 * caches it under DATA/peer-images/HASH: the hash covers the exact package versions and every
 * peer source file, so a second lab builds nothing and a changed package rebuilds.
 */
public final class PeerImages {

    /** A bootable peer: the same files a router build produces. */
    public record PeerImage(String hash, String target, Path kernel, Path initrd, Path rootfs) {
    }

    static final String IMAGE = LabResources.ROOT + "peers/image/";
    static final List<String> SOURCES = List.of("peer.conf", "init", "world", "access", "probe-tcp", "ipv6", "radvd.conf", "kea-dhcp6.conf", "index.html");
    private static final String FORMAT = "routerstudio-peer/6";

    /** Resolving comes first on its own: the package versions decide whether the cached image will do. */
    private static final Plan<ImageWork> RESOLVE = Plan.of(ImageSteps.RESOLVE);
    /** The firmware's steps, with the peer's own files where a firmware has its services and /etc. */
    private static final Plan<ImageWork> BUILD = Plan.of(ImageSteps.UNPACK, ImageSteps.PRUNE,
            new Step<>("peer", PeerImages::addPeerFiles), ImageSteps.KERNEL, ImageSteps.ROOTFS, ImageSteps.INITRAMFS);

    /** How long a resolved image is reused without asking apt again (resolving costs 2-3 s per lab). */
    static final Duration RECHECK = Duration.ofHours(1);

    private final Path imagesDir;
    private final Path packageCacheDir;
    private PeerImage last;
    private long lastCheckedNanos;

    public PeerImages(Path imagesDir, Path packageCacheDir) {
        this.imagesDir = imagesDir;
        this.packageCacheDir = packageCacheDir;
    }

    /** The cached image, or a fresh build of it. One build at a time per studio. */
    public synchronized PeerImage image(TargetSpec target, Consumer<String> log) {
        if (last != null && last.target().equals(target.id()) && System.nanoTime() - lastCheckedNanos < RECHECK.toNanos() && Files.exists(last.rootfs())) {
            return last;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                last = resolveOrBuild(target, log);
                break;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // A firmware build in this JVM holds the package cache's lock; ResolveStage does
                // not wait for in-JVM holders, so wait here (bounded) and try again.
                if (System.nanoTime() > deadline) {
                    throw new PipelineException("the package cache stayed locked by a build for 3 minutes; try the lab again");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new PipelineException("interrupted while waiting for the package cache");
                }
            }
        }
        lastCheckedNanos = System.nanoTime();
        try {
            Files.writeString(imagesDir.resolve("current"), last.hash() + "\n");
        } catch (IOException e) {
            log.accept("peer image: cannot record the current hash: " + e.getMessage());
        }
        return last;
    }

    /**
     * The image the last resolve chose, if it is still on disk, without asking apt (so it never
     * takes the package cache's lock); null if there is none. For warming up at start.
     */
    public synchronized PeerImage cached() {
        try {
            Path current = imagesDir.resolve("current");
            if (!Files.exists(current)) {
                return null;
            }
            String hash = Files.readString(current).strip();
            Path dir = imagesDir.resolve(hash);
            if (!hash.matches("[0-9a-f]{64}") || !Files.exists(dir.resolve("complete"))) {
                return null;
            }
            List<String> complete = Files.readAllLines(dir.resolve("complete"));
            // An image built from other files in image/ (a changed peer script) is not this one.
            if (complete.size() < 3 || !complete.get(0).equals(FORMAT) || !complete.get(2).equals(sourcesDigest())) {
                return null;
            }
            last = new PeerImage(hash, complete.get(1), dir.resolve("vmlinuz"), dir.resolve("initramfs.cpio.xz"), dir.resolve("rootfs.squashfs"));
            lastCheckedNanos = System.nanoTime();
            return last;
        } catch (IOException e) {
            return null;
        }
    }

    private PeerImage resolveOrBuild(TargetSpec target, Consumer<String> log) {
        Map<String, List<String>> conf = LabResources.conf(IMAGE + "peer.conf");
        BuildContext ctx = BuildContext.of(imagesDir.resolve("work"), packageCacheDir, log, (stage, f) -> { });
        Path out = ctx.artifactsDir();
        try {
            FileSystemUtils.deleteRecursively(out);
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new PipelineException("cannot create " + out + ": " + e.getMessage());
        }
        List<String> paths = new java.util.ArrayList<>(conf.get("paths"));
        paths.add(target.loader());
        List<String> kernelFeatures = new java.util.ArrayList<>(conf.get("kernel"));
        kernelFeatures.addAll(target.kernelFeatures());
        ImageWork work = new ImageWork(target, Duration.ofDays(7), new ImageRecipe(null, false, null, conf.get("packages"), List.of(),
                List.copyOf(paths), List.of(), List.copyOf(kernelFeatures), target.bootFeatures(), List.of(), List.of()));
        RESOLVE.run(ctx, work);
        String hash = hash(target, work.resolution().all());
        Path dir = imagesDir.resolve(hash);
        PeerImage image = new PeerImage(hash, target.id(), dir.resolve("vmlinuz"), dir.resolve("initramfs.cpio.xz"), dir.resolve("rootfs.squashfs"));
        if (Files.exists(dir.resolve("complete"))) {
            log.accept("peer image " + hash.substring(0, 12) + " from the cache");
            return image;
        }
        long start = System.nanoTime();
        log.accept("peer image " + hash.substring(0, 12) + ": building from " + work.resolution().all().size() + " packages");
        BUILD.run(ctx, work);
        try {
            Files.copy(work.kernel().vmlinuz(), out.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(out.resolve("complete"), FORMAT + "\n" + target.id() + "\n" + sourcesDigest() + "\n");
            FileSystemUtils.deleteRecursively(dir);
            Files.move(out, dir);
        } catch (IOException e) {
            throw new PipelineException("peer image in " + dir + ": " + e.getMessage());
        }
        log.accept("peer image " + hash.substring(0, 12) + " built in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return image;
    }

    /** Instead of the firmware's services and /etc: the peer's init, its world host and a minimal /etc. */
    private static void addPeerFiles(BuildContext ctx, ImageWork work) {
        RootfsLayout root = work.root();
        for (String d : List.of("/dev", "/proc", "/sys", "/run", "/tmp", "/var", "/root", "/etc")) {
            root.put(FsEntry.dir(d, d.equals("/tmp") ? 01777 : d.equals("/root") ? 0700 : 0755));
        }
        root.put(FsEntry.charDevice("/dev/console", 0600, 5, 1));
        root.put(FsEntry.charDevice("/dev/null", 0666, 1, 3));
        root.put(FsEntry.bytes("/sbin/init", 0755, LabResources.bytes(IMAGE + "init"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/world", 0755, LabResources.bytes(IMAGE + "world"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/access", 0755, LabResources.bytes(IMAGE + "access"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/probe-tcp", 0755, LabResources.bytes(IMAGE + "probe-tcp"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/ipv6", 0755, LabResources.bytes(IMAGE + "ipv6"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/radvd.conf", 0644, LabResources.bytes(IMAGE + "radvd.conf"), "peer"));
        root.put(FsEntry.bytes("/usr/lib/peer/kea-dhcp6.conf", 0644, LabResources.bytes(IMAGE + "kea-dhcp6.conf"), "peer"));
        root.put(FsEntry.bytes("/usr/share/peer/www/index.html", 0644, LabResources.bytes(IMAGE + "index.html"), "peer"));
        root.put(FsEntry.symlink("/etc/ppp", "/config/ppp", "peer"));
        root.put(FsEntry.text("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n", "peer"));
        root.put(FsEntry.text("/etc/group", 0644, "root:x:0:\ntty:x:5:\n", "peer"));
        root.put(FsEntry.text("/etc/profile", 0644, "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1='\\h# '\n", "peer"));
    }

    /** A digest of the peer's own files (image/), which cached() compares without resolving packages. */
    static String sourcesDigest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : SOURCES) {
                md.update((s + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(LabResources.bytes(IMAGE + s));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(TargetSpec target, List<ResolvedPackage> packages) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((FORMAT + "\n" + target.id() + "\n").getBytes(StandardCharsets.UTF_8));
            for (ResolvedPackage p : packages) {
                md.update((p.name() + " " + p.version() + " " + p.arch() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            md.update(sourcesDigest().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
