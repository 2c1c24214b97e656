package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.PipelineException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A firmware.tar from somewhere else (an upload), unpacked into a lab's folder and checked before
 * anything boots: a tar archive, every entry a plain file or folder under firmware/ with no ".."
 * and no absolute or link entries, each of kernel, initramfs, root and lab.json present once,
 * and lab.json a lab description of a target this studio knows. Only those four files are
 * written, under names the studio picks; nothing from an entry's name reaches the file system.
 */
public final class FirmwareBundle {

    /** What a bad bundle is refused with; the message says what is wrong and where. */
    public static final class InvalidBundleException extends RuntimeException {
        public InvalidBundleException(String message) {
            super(message);
        }
    }

    static final String TOP = "firmware/";
    static final String KERNEL = "vmlinuz";
    static final String INITRAMFS = "initramfs.cpio.xz";
    static final String ROOTFS = "rootfs.squashfs";
    static final List<String> NEEDED = List.of(KERNEL, INITRAMFS, ROOTFS, LabDescription.FILE);

    private FirmwareBundle() {
    }

    /** Unpacks tar's kernel, initramfs, root and lab.json into dir and returns what the lab boots. */
    public static LabRequest unpack(Path tar, Path dir, String buildId) throws IOException {
        Files.createDirectories(dir);
        Set<String> found = new HashSet<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar))) {
            raw.mark(512);
            byte[] header = raw.readNBytes(512);
            raw.reset();
            if (header.length < 512 || !TarArchiveInputStream.matches(header, header.length)) {
                throw new InvalidBundleException("the upload is not a tar archive (no ustar header in its first 512 bytes); "
                        + "send the firmware.tar a build produced");
            }
            TarArchiveInputStream in = new TarArchiveInputStream(raw);
            TarArchiveEntry e;
            while ((e = next(in)) != null) {
                String name = e.getName();
                checkName(name);
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.isFile() || e.isSparse() || e.isLink() || e.isSymbolicLink()) {
                    throw new InvalidBundleException("entry '" + printable(name) + "' is not a plain file or folder; "
                            + "a firmware bundle holds only files and folders");
                }
                String rel = name.substring(TOP.length());
                if (NEEDED.contains(rel)) {
                    if (!found.add(rel)) {
                        throw new InvalidBundleException("entry '" + printable(name) + "' appears twice");
                    }
                    Files.copy(in, dir.resolve(rel));
                }
            }
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw e;
            }
            throw new InvalidBundleException("the upload is not a readable tar archive: " + e.getMessage());
        }
        for (String n : NEEDED) {
            if (!found.contains(n)) {
                throw new InvalidBundleException("the bundle has no " + TOP + n + " (it needs " + String.join(", ", NEEDED)
                        + " under " + TOP + "); send the firmware.tar a build of this studio produced");
            }
            if (Files.size(dir.resolve(n)) == 0) {
                throw new InvalidBundleException(TOP + n + " in the bundle is empty");
            }
        }
        LabDescription lab;
        try {
            lab = LabDescription.read(dir.resolve(LabDescription.FILE), TOP + LabDescription.FILE);
        } catch (PipelineException e) {
            throw new InvalidBundleException(e.getMessage());
        }
        // Every value each peer's files name must be there (and fit its file's syntax) before anything boots.
        for (LabDescription.Peer p : List.of(lab.isp(), lab.lan())) {
            try {
                PeerConfigDisk.render(p.role(), p.values());
            } catch (PipelineException | IllegalArgumentException | IllegalStateException e) {
                throw new InvalidBundleException(TOP + LabDescription.FILE + ": the values for peer " + p.role() + " do not fit its files: "
                        + e.getMessage());
            }
        }
        return LabRequest.of(buildId, dir.resolve(KERNEL), dir.resolve(INITRAMFS), dir.resolve(ROOTFS), lab);
    }

    private static TarArchiveEntry next(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException e) {
            // Commons Compress reports some malformed headers this way.
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void checkName(String name) {
        if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw new InvalidBundleException("entry '" + printable(name) + "' has an absolute or unusual path; refused");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new InvalidBundleException("entry '" + printable(name) + "' climbs out of the bundle (..); refused");
            }
        }
        if (!name.startsWith(TOP) && !name.equals(TOP)) {
            throw new InvalidBundleException("entry '" + printable(name) + "' is outside " + TOP
                    + " (a firmware.tar has every file under " + TOP + ")");
        }
    }

    private static String printable(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 200 ? p.substring(0, 200) + "…" : p;
    }
}
