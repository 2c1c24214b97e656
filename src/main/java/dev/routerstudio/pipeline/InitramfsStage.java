package dev.routerstudio.pipeline;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The initramfs: busybox-static, the boot modules (IDE, squashfs, the writable store's ext4 and
 * overlay) and an /init that mounts the squashfs root (under an overlay when the kernel command
 * line names a store) and switch_roots into it; written as cpio newc with Commons Compress and
 * compressed with xz using CRC32 checks (the kernel's xz decoder rejects CRC64).
 */
public final class InitramfsStage {

    public Path run(BuildContext ctx, KernelStage.Kernel kernel, UnpackedPackage busybox, Path output) {
        RootfsLayout tree = new RootfsLayout();
        for (String d : new String[]{"/dev", "/proc", "/sys", "/newroot", "/rom", "/overlay", "/bin", "/etc", "/lib/modules"}) {
            tree.put(FsEntry.dir(d, 0755));
        }
        tree.put(FsEntry.charDevice("/dev/console", 0600, 5, 1));
        tree.put(FsEntry.file("/bin/busybox", 0755, busybox.file("/bin/busybox"), "busybox-static"));
        tree.put(FsEntry.symlink("/bin/sh", "busybox", "busybox-static"));
        tree.put(FsEntry.bytes("/init", 0755, PipelineResources.bytes(ImageRecipe.ROOT + "initramfs/init"), "runtime"));
        tree.put(FsEntry.bytes("/lib/upgrade-store", 0755, PipelineResources.bytes(ImageRecipe.ROOT + "initramfs/upgrade-store"), "runtime"));
        StringBuilder order = new StringBuilder();
        for (KernelStage.Module m : kernel.bootModules()) {
            String file = m.name() + ".ko";
            tree.put(FsEntry.file("/lib/modules/" + file, 0644, kernel.modulesDir().resolve(m.relPath()), "kernel-modules"));
            order.append(file).append('\n');
        }
        tree.put(FsEntry.text("/etc/boot-modules", 0644, order.toString(), "runtime"));
        // Same busybox, kernel, modules and /init give the same bytes: reuse them from the cache.
        String key = SpecHash.sha256((SpecHash.PIPELINE_FORMAT + "\n" + busybox.pkg().debFileName() + "\n" + kernel.version()
                + "\n" + order + "\n" + SpecHash.sha256(PipelineResources.bytes(ImageRecipe.ROOT + "initramfs/init"))
                + "\n" + SpecHash.sha256(PipelineResources.bytes(ImageRecipe.ROOT + "initramfs/upgrade-store")))
                .getBytes(StandardCharsets.UTF_8));
        Path cached = ctx.packageCacheDir().resolve("initramfs").resolve(key + ".cpio.xz");
        try {
            if (Files.exists(cached)) {
                Files.createDirectories(output.getParent());
                Files.copy(cached, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                ctx.log("initramfs: " + output.getFileName() + " from the cache (" + key.substring(0, 12) + ")");
                return output;
            }
        } catch (IOException e) {
            throw new PipelineException("initramfs cache " + cached + ": " + e.getMessage());
        }
        try {
            Files.createDirectories(output.getParent());
            LZMA2Options xz = new LZMA2Options(6);
            xz.setDictSize(1 << 20);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(output));
                 XZOutputStream compressed = new XZOutputStream(file, xz, XZ.CHECK_CRC32);
                 CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(compressed, CpioConstants.FORMAT_NEW)) {
                long inode = 1;
                for (FsEntry e : tree.entries()) {
                    if (e.path().equals("/")) {
                        continue;
                    }
                    CpioArchiveEntry c = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.path().substring(1));
                    c.setInode(inode++);
                    c.setUID(0);
                    c.setGID(0);
                    c.setTime(0);
                    c.setNumberOfLinks(e.kind() == FsEntry.Kind.DIR ? 2 : 1);
                    byte[] body = null;
                    switch (e.kind()) {
                        case DIR -> c.setMode(CpioConstants.C_ISDIR | e.mode());
                        case FILE -> {
                            body = e.content() != null ? e.content() : Files.readAllBytes(e.source());
                            c.setMode(CpioConstants.C_ISREG | e.mode());
                        }
                        case SYMLINK -> {
                            body = e.linkTarget().getBytes(StandardCharsets.UTF_8);
                            c.setMode(CpioConstants.C_ISLNK | 0777);
                        }
                        case CHAR -> {
                            c.setMode(CpioConstants.C_ISCHR | e.mode());
                            c.setRemoteDeviceMaj(e.major());
                            c.setRemoteDeviceMin(e.minor());
                        }
                        default -> throw new PipelineException("initramfs cannot hold " + e.kind() + " " + e.path());
                    }
                    c.setSize(body == null ? 0 : body.length);
                    cpio.putArchiveEntry(c);
                    if (body != null) {
                        cpio.write(body);
                    }
                    cpio.closeArchiveEntry();
                }
                cpio.finish();
            }
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), ".initramfs-", ".tmp");
            Files.copy(output, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ctx.log("initramfs: " + output.getFileName() + " " + Files.size(output) + " bytes, boot modules "
                    + kernel.bootModules().stream().map(KernelStage.Module::name).toList());
        } catch (IOException e) {
            throw new PipelineException("writing the initramfs " + output + ": " + e.getMessage());
        }
        return output;
    }
}
