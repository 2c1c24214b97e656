package dev.routerstudio.pipeline;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A Debian binary package read with Commons Compress: an ar archive holding debian-binary,
 * control.tar.* and data.tar.* (bookworm uses xz for every mipsel package; gzip and plain tar
 * are accepted too, zstd is rejected with a clear message).
 */
public final class DebPackage {

    private DebPackage() {
    }

    /** The control file's fields (Package, Version, Architecture, Depends, …). */
    public static Map<String, String> control(Path deb) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                if (e.getName().startsWith("control.tar")) {
                    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(e.getName(), ar, deb))) {
                        TarArchiveEntry t;
                        while ((t = tar.getNextEntry()) != null) {
                            if (normalize(t.getName()).equals("control")) {
                                return parseControl(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        }
        throw new PipelineException(deb.getFileName() + " has no control file");
    }

    /**
     * The control archive's text members (control, conffiles, preinst, postinst, …) by name; the
     * maintainer scripts are read, never run (see {@link MaintainerScripts}).
     */
    public static Map<String, String> controlMembers(Path deb) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                if (e.getName().startsWith("control.tar")) {
                    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(e.getName(), ar, deb))) {
                        TarArchiveEntry t;
                        while ((t = tar.getNextEntry()) != null) {
                            if (t.isFile()) {
                                out.put(normalize(t.getName()), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                    return out; // closing the tar closed the ar stream too; a .deb has one control.tar
                }
            }
        }
        return out;
    }

    static Map<String, String> parseControl(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n")) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                if (last != null) {
                    fields.put(last, fields.get(last) + "\n" + line.substring(1));
                }
            } else if (line.contains(":")) {
                int i = line.indexOf(':');
                last = line.substring(0, i);
                fields.put(last, line.substring(i + 1).trim());
            }
        }
        return fields;
    }

    /**
     * Extracts data.tar.* into target (which must not exist): regular files, directories,
     * symlinks and hard links, with permission bits. Ownership is not kept: the image is
     * all-root and extraction must work as a non-root user. Entries escaping target are refused.
     */
    public static java.util.List<DebEntry> extractData(Path deb, Path target) throws IOException {
        Files.createDirectories(target);
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                if (e.getName().startsWith("data.tar")) {
                    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(e.getName(), ar, deb))) {
                        return extractTar(tar, target, deb);
                    }
                }
            }
        }
        throw new PipelineException(deb.getFileName() + " has no data.tar member");
    }

    private static java.util.List<DebEntry> extractTar(TarArchiveInputStream tar, Path target, Path deb) throws IOException {
        java.util.List<DebEntry> entries = new java.util.ArrayList<>();
        TarArchiveEntry t;
        Map<Path, Integer> dirModes = new LinkedHashMap<>();
        Map<String, Integer> fileModes = new java.util.HashMap<>();
        while ((t = tar.getNextEntry()) != null) {
            String rel = normalize(t.getName());
            if (rel.isEmpty()) {
                continue;
            }
            Path out = target.resolve(rel).normalize();
            if (!out.startsWith(target)) {
                throw new PipelineException(deb.getFileName() + " contains a path outside its root: " + t.getName());
            }
            if (t.isDirectory()) {
                Files.createDirectories(out);
                dirModes.put(out, t.getMode() & 07777);
                entries.add(new DebEntry("/" + rel, FsEntry.Kind.DIR, t.getMode() & 07777, null));
            } else if (t.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(t.getLinkName()));
                entries.add(new DebEntry("/" + rel, FsEntry.Kind.SYMLINK, 0777, t.getLinkName()));
            } else if (t.isLink()) {
                Files.createDirectories(out.getParent());
                Path src = target.resolve(normalize(t.getLinkName())).normalize();
                if (!src.startsWith(target)) {
                    throw new PipelineException(deb.getFileName() + " hard-links outside its root: " + t.getLinkName());
                }
                Files.copy(src, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Integer linkedMode = fileModes.get(target.relativize(src).toString());
                int m = linkedMode != null ? linkedMode : t.getMode() & 07777;
                fileModes.put(rel, m);
                entries.add(new DebEntry("/" + rel, FsEntry.Kind.FILE, m, null));
            } else if (t.isFile()) {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(out, permissions(t.getMode() | 0200));
                fileModes.put(rel, t.getMode() & 07777);
                entries.add(new DebEntry("/" + rel, FsEntry.Kind.FILE, t.getMode() & 07777, null));
            }
            // Device nodes and fifos in a data.tar are skipped: the image's own come from the rootfs entry list.
        }
        for (Map.Entry<Path, Integer> d : dirModes.entrySet()) {
            // Keep directories writable by us so a cache entry can be deleted again.
            Files.setPosixFilePermissions(d.getKey(), permissions(d.getValue() | 0700));
        }
        return entries;
    }

    private static InputStream decompress(String member, InputStream in, Path deb) throws IOException {
        if (member.endsWith(".xz")) {
            return new XZInputStream(in);
        } else if (member.endsWith(".gz")) {
            return new GZIPInputStream(in);
        } else if (member.endsWith(".tar")) {
            return in;
        }
        throw new PipelineException(deb.getFileName() + ": member " + member + " uses a compression the studio does not read");
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        if (n.equals(".")) {
            return "";
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                p.add(order[i]);
            }
        }
        return p;
    }

    static int mode(Path file) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        int m = 0;
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if (p.contains(order[i])) {
                m |= 1 << i;
            }
        }
        return m;
    }

    /** One member of a package's data tree with the mode the package gives it (setuid bits included). */
    public record DebEntry(String path, FsEntry.Kind kind, int mode, String linkTarget) {
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
