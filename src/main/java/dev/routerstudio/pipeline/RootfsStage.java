package dev.routerstudio.pipeline;

import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the entry list as a staging tree plus a mksquashfs pseudo-file list (modes, device
 * nodes, fifos), then runs mksquashfs: xz, all files root-owned, every timestamp 0, so the same
 * entries give a byte-identical image. Nothing here needs root: device nodes exist only as
 * pseudo definitions, and package files are hard-linked from the cache (copied if that fails).
 */
public final class RootfsStage {

    /**
     * 512 KiB blocks. Example PPPoE image (with OpenNTPD): 256 KiB 7,430,144 B, 512 KiB 7,282,688 B,
     * 1 MiB 7,172,096 B. Bigger blocks are smaller but slower on first read under TCG (with 1 MiB,
     * pppd and dnsmasq started ~2 s later than with 256 KiB); 512 KiB keeps a margin under the
     * 7,500,000 B budget.
     */
    static final int BLOCK_SIZE = 1 << 19;

    /**
     * The firmware's list of its own files (sha256sum's format, sorted by path): the initramfs
     * compares it with the one the writable store was last booted with to tell an upgrade and
     * its stale copies (image-pipeline/initramfs/upgrade-store).
     */
    public static final String FIRMWARE_SUMS = "/etc/firmware.sums";

    private final String userEmulator;

    /** userEmulator: runs the target's busybox on the build host ({@link TargetSpec#userEmulator()}). */
    public RootfsStage(String userEmulator) {
        this.userEmulator = userEmulator;
    }

    /** Busybox applet links for every applet whose path the image does not already fill. */
    public void addBusyboxApplets(BuildContext ctx, UnpackedPackage busybox, RootfsLayout root) {
        addBusyboxApplets(ctx, busybox, root, java.util.Set.of());
    }

    /** The same, leaving out applets named in skip (programs a PATH package ships, in whichever PATH dir). */
    public void addBusyboxApplets(BuildContext ctx, UnpackedPackage busybox, RootfsLayout root, java.util.Set<String> skip) {
        addBusyboxApplets(ctx, busybox, root, skip, null);
    }

    /**
     * libraryRoot: a tree with the target's loader and libc (the libc package's), for a busybox
     * linked against libc (a slim rebuild); the emulator looks up absolute paths there (-L).
     */
    public void addBusyboxApplets(BuildContext ctx, UnpackedPackage busybox, RootfsLayout root, java.util.Set<String> skip,
                                  Path libraryRoot) {
        Path cache = busybox.root().getParent().resolve("applets.txt");
        try {
            if (!Files.exists(cache)) {
                List<String> cmd = new ArrayList<>(List.of(userEmulator));
                if (libraryRoot != null) {
                    cmd.addAll(List.of("-L", libraryRoot.toString()));
                }
                cmd.addAll(List.of(busybox.file("/bin/busybox").toString(), "--list-full"));
                ToolRunner.Result r = ToolRunner.run(ctx, null, null, false, cmd);
                if (r.exitCode() != 0) {
                    throw new PipelineException("cannot list busybox applets with " + userEmulator + " (exit " + r.exitCode() + ")");
                }
                Files.write(cache, r.output(), StandardCharsets.UTF_8);
            }
            int added = 0;
            for (String applet : Files.readAllLines(cache, StandardCharsets.UTF_8)) {
                String p = "/" + applet.strip();
                if (p.length() > 1 && !p.equals("/bin/busybox") && !skip.contains(p.substring(p.lastIndexOf('/') + 1)) && root.putIfAbsent(FsEntry.symlink(p, "/bin/busybox", "busybox-static"))) {
                    added++;
                }
            }
            ctx.log("rootfs: " + added + " busybox applet links");
        } catch (IOException e) {
            throw new PipelineException("busybox applet list: " + e.getMessage());
        }
    }

    /** Puts {@link #FIRMWARE_SUMS} into root: every regular file but itself, as the image will hold it. */
    public static void addFirmwareSums(RootfsLayout root) {
        StringBuilder out = new StringBuilder();
        for (FsEntry e : root.files()) {
            if (e.path().equals(FIRMWARE_SUMS)) {
                continue;
            }
            if (e.path().indexOf('\n') >= 0) {
                throw new PipelineException("image path '" + e.path() + "' contains a line break, which the firmware's file list cannot carry");
            }
            String sum = e.content() != null ? SpecHash.sha256(e.content()) : SpecHash.sha256(e.source());
            out.append(sum).append("  ").append(e.path()).append('\n');
        }
        root.put(FsEntry.text(FIRMWARE_SUMS, 0644, out.toString(), "studio"));
    }

    public Path run(BuildContext ctx, RootfsLayout root, Path output) {
        Path staging = ctx.workDir().resolve("rootfs-staging");
        Path pseudo = ctx.workDir().resolve("rootfs.pseudo");
        try {
            FileSystemUtils.deleteRecursively(staging);
            Files.createDirectories(staging);
            Files.setPosixFilePermissions(staging, DebPackage.permissions(0755));
            List<String> lines = new ArrayList<>();
            int n = 0;
            for (FsEntry e : root.entries()) {
                if (++n % 200 == 0) {
                    ctx.checkCancelled();
                    ctx.progress().stage("rootfs", 0.4 * n / root.entries().size());
                }
                if (e.path().equals("/")) {
                    continue;
                }
                String rel = e.path().substring(1);
                if (rel.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
                    throw new PipelineException("image path '" + e.path() + "' contains a blank or quote, which the pseudo-file list cannot carry");
                }
                Path out = staging.resolve(rel);
                switch (e.kind()) {
                    case DIR -> {
                        Files.createDirectories(out);
                        lines.add(rel + " m " + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid());
                    }
                    case FILE -> {
                        if (e.content() != null) {
                            Files.write(out, e.content());
                        } else {
                            link(e.source(), out);
                        }
                        lines.add(rel + " m " + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid());
                    }
                    case SYMLINK -> Files.createSymbolicLink(out, Path.of(e.linkTarget()));
                    case CHAR -> lines.add(rel + " c " + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid() + " " + e.major() + " " + e.minor());
                    case BLOCK -> lines.add(rel + " b " + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid() + " " + e.major() + " " + e.minor());
                    case FIFO -> lines.add(rel + " f " + Integer.toOctalString(e.mode()) + " " + e.uid() + " " + e.gid());
                }
            }
            Files.write(pseudo, lines, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            Files.createDirectories(output.getParent());
        } catch (IOException e) {
            throw new PipelineException("rootfs staging in " + staging + ": " + e.getMessage());
        }
        ctx.progress().stage("rootfs", 0.4);
        ToolRunner.Result r = ToolRunner.run(ctx, null, null, true, List.of("mksquashfs", staging.toString(), output.toString(),
                "-noappend", "-comp", "xz", "-b", String.valueOf(BLOCK_SIZE), "-all-root", "-all-time", "0", "-mkfs-time", "0", "-no-xattrs",
                "-pf", pseudo.toString(), "-no-progress", "-quiet"));
        if (r.exitCode() != 0) {
            throw new PipelineException("mksquashfs failed (exit " + r.exitCode() + "): " + (r.output().isEmpty() ? "no output" : r.output().get(r.output().size() - 1)));
        }
        try {
            FileSystemUtils.deleteRecursively(staging);
            ctx.log("rootfs: " + output.getFileName() + " " + Files.size(output) + " bytes");
        } catch (IOException e) {
            throw new PipelineException("rootfs: " + e.getMessage());
        }
        ctx.progress().stage("rootfs", 1.0);
        return output;
    }

    private static void link(Path source, Path out) throws IOException {
        try {
            Files.createLink(out, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, out);
        }
    }

    /** Bytes per origin (package name, or etc/services/runtime/profile) and the largest files. */
    static Map<String, Long> sizeByOrigin(RootfsLayout root) {
        return sizeByOrigin(root, java.util.Set.of());
    }

    /** The same, with a package's data files (dataFiles, from prune) as a bar of their own: "NAME data". */
    static Map<String, Long> sizeByOrigin(RootfsLayout root, java.util.Set<String> dataFiles) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (FsEntry e : root.files()) {
            out.merge(dataFiles.contains(e.path()) ? e.origin() + " data" : e.origin(), e.size(), Long::sum);
        }
        return out;
    }
}
