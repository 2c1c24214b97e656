package dev.routerstudio.lab;

import org.springframework.util.FileSystemUtils;
import dev.routerstudio.pipeline.TemplateText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A peer's role as /config in its root disk: the role's files from qemu-runner/peers/ROLE
 * rendered with TemplateText over the peer's values from lab.json, so every value in them (the
 * PPP password above all) is quoted by ScriptQuoting for the file's own syntax.
 */
public final class PeerConfigDisk {

    private PeerConfigDisk() {
    }

    /** The rendered files, path (relative to /config) → content. */
    public static Map<String, String> render(String role, Map<String, String> values) {
        if (!role.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("peer role '" + role + "' is not a folder name under qemu-runner/peers/");
        }
        String dir = LabResources.ROOT + "peers/" + role + "/";
        Map<String, String> out = new TreeMap<>();
        out.put("role", role + "\n");
        out.put("hostname", values.getOrDefault("hostname", role) + "\n");
        List<String> files = LabResources.conf(dir + "role.conf").get("files");
        for (String f : files) {
            int eq = f.indexOf('=');
            int colon = f.lastIndexOf(':');
            String path = f.substring(0, eq);
            String template = LabResources.text(dir + f.substring(eq + 1, colon));
            out.put(path, TemplateText.render(template, values, role + "/" + path));
        }
        return out;
    }

    static int mode(String role, String path) {
        for (String f : LabResources.conf(LabResources.ROOT + "peers/" + role + "/role.conf").get("files")) {
            if (f.startsWith(path + "=")) {
                return Integer.parseInt(f.substring(f.lastIndexOf(':') + 1), 8);
            }
        }
        return 0644;
    }

    /**
     * The peer's root disk for one lab: a copy of the cached peer image with the role's files
     * appended as /config by mksquashfs (appending reuses the image's blocks, so this takes a
     * fraction of a second). One disk, because with two IDE disks the kernel's asynchronous
     * probing makes either one /dev/sda, and the initramfs mounts /dev/sda as root.
     */
    public static Path build(String role, Map<String, String> values, Path baseRootfs, Path workDir, Consumer<String> log) {
        Path stage = workDir.resolve("stage");
        Path config = stage.resolve("config");
        Path out = workDir.resolve("rootfs.squashfs");
        try {
            FileSystemUtils.deleteRecursively(stage);
            Files.createDirectories(config);
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, String> e : render(role, values).entrySet()) {
                Path f = config.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.setPosixFilePermissions(f.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.write(f, e.getValue().getBytes(StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(f, permissions(mode(role, e.getKey())));
            }
            Files.copy(baseRootfs, out, StandardCopyOption.REPLACE_EXISTING);
            out.toFile().setWritable(true, true);
            ProcessBuilder pb = new ProcessBuilder("mksquashfs", config.toString(), out.toString(), "-keep-as-directory",
                    "-all-root", "-no-xattrs", "-all-time", "0", "-no-progress", "-quiet").redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("mksquashfs.log").toFile());
            pb.environment().put("TMPDIR", workDir.toString());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mksquashfs did not finish appending " + role + "'s config within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("mksquashfs could not append " + role + "'s config (exit " + p.exitValue()
                        + "): " + Files.readString(workDir.resolve("mksquashfs.log")).strip());
            }
            FileSystemUtils.deleteRecursively(stage);
            log.accept("peer " + role + ": root disk with /config, " + Files.size(out) + " bytes");
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("peer disk for " + role + " in " + workDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the " + role + " disk");
        }
    }

    private static java.util.Set<PosixFilePermission> permissions(int mode) {
        java.util.Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
