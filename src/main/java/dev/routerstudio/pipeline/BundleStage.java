package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * manifest.json, run-qemu.sh and firmware.tar (Commons Compress): kernel, initramfs, rootfs, the
 * s6-rc source service set, the manifest, lab.json and run-qemu.sh. Entries are sorted, root-owned and dated
 * 1970, so the same inputs give the same bytes.
 */
public final class BundleStage {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Path manifest(ProfileSpec spec, String specHash, List<BuildResult.PackageVersion> packages,
                         KernelStage.Kernel kernel, List<BuildResult.Artifact> files, MinisignKey signingKey, Path output) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", SpecHash.PIPELINE_FORMAT);
        m.put("specHash", specHash);
        m.set("profile", JSON.valueToTree(spec.withoutSecrets()));
        m.put("kernel", kernel.version());
        if (signingKey != null) {
            // The key that signs firmware.tar (firmware.tar.minisig, outside the tar it signs).
            m.putObject("signingKey").put("keyId", signingKey.keyId()).put("publicKey", signingKey.publicKey())
                    .put("signature", "firmware.tar" + MinisignKey.SIGNATURE_SUFFIX);
        }
        ArrayNode pk = m.putArray("packages");
        for (BuildResult.PackageVersion p : packages) {
            if (p.inImage()) {
                ObjectNode o = pk.addObject().put("name", p.name()).put("version", p.version()).put("arch", p.arch());
                if (p.slim() != null) {
                    o.put("slim", p.slim().version());
                }
            }
        }
        ArrayNode fa = m.putArray("files");
        for (BuildResult.Artifact a : files) {
            fa.addObject().put("name", a.name()).put("size", a.size()).put("sha256", a.sha256());
        }
        try {
            Files.writeString(output, JSON.writerWithDefaultPrettyPrinter().writeValueAsString((JsonNode) m) + "\n");
        } catch (IOException e) {
            throw new PipelineException("writing manifest.json: " + e.getMessage());
        }
        return output;
    }

    /**
     * run-qemu.sh for the bundle: the template qemu-runner/run-qemu.sh around the command line
     * {@link QemuCommand} builds for the target (the lab uses the same class), with the bundle's
     * files relative to the script and the sockets from WAN_SOCKET and LAN_SOCKET.
     */
    public Path runQemu(TargetSpec target, Path output) {
        String here = "@HERE@";
        QemuCommand cmd = QemuCommand.of(target, target.memoryMb(), here + "/vmlinuz", here + "/initramfs.cpio.xz")
                .disk(new QemuCommand.Disk(here + "/rootfs.squashfs", true));
        Map<String, String> values = new java.util.HashMap<>();
        values.put("target", target.id());
        values.put("target.label", target.label());
        values.put("qemu", target.qemu());
        values.put("qemu.nic", target.nicModel());
        values.put("qemu.command", shellWords(cmd.args()));
        values.put("qemu.serial", shellWords(QemuCommand.stdioSerialArgs()));
        // The router's cards as the lab wires them: eth0 is the WAN, eth1 the LAN.
        values.put("qemu.wan", shellWords(QemuCommand.nicArgs(target, new QemuCommand.Nic("wan", LabDescription.ROUTER_WAN_MAC, "@WAN_SOCKET@", false))));
        values.put("qemu.lan", shellWords(QemuCommand.nicArgs(target, new QemuCommand.Nic("lan", LabDescription.ROUTER_LAN_MAC, "@LAN_SOCKET@", false))));
        String script = TemplateText.render(PipelineResources.text("qemu-runner/run-qemu.sh"), values, "qemu-runner/run-qemu.sh");
        try {
            Files.writeString(output, script);
        } catch (IOException e) {
            throw new PipelineException("writing " + output + ": " + e.getMessage());
        }
        output.toFile().setExecutable(true);
        return output;
    }

    /** Each argument one single-quoted sh word; the @NAME@ markers become "$here" and the socket variables. */
    static String shellWords(List<String> args) {
        StringBuilder out = new StringBuilder();
        for (String a : args) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(ScriptQuoting.sh(a).replace("@HERE@", "'\"$here\"'").replace("@WAN_SOCKET@", "'\"$WAN_SOCKET\"'")
                    .replace("@LAN_SOCKET@", "'\"$LAN_SOCKET\"'"));
        }
        return out.toString();
    }

    public Path bundle(BuildContext ctx, Map<String, Path> topFiles, ServiceSet services, Path output) {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(output));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            String top = "firmware/";
            dir(tar, top);
            for (Map.Entry<String, Path> f : new java.util.TreeMap<>(topFiles).entrySet()) {
                ctx.checkCancelled();
                // lab.json holds the PPP credentials the lab's ISP must accept: owner-only, like the firmware's secrets.
                int mode = f.getKey().endsWith(".sh") ? 0755 : f.getKey().equals(LabDescription.FILE) ? 0600 : 0644;
                file(tar, top + f.getKey(), mode, Files.size(f.getValue()), f.getValue(), null);
            }
            dir(tar, top + "services/");
            for (Map.Entry<String, Map<String, byte[]>> s : services.sources().entrySet()) {
                dir(tar, top + "services/" + s.getKey() + "/");
                Set<String> subdirs = new TreeSet<>();
                for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(s.getValue()).entrySet()) {
                    int slash = f.getKey().lastIndexOf('/');
                    if (slash > 0 && subdirs.add(f.getKey().substring(0, slash))) {
                        dir(tar, top + "services/" + s.getKey() + "/" + f.getKey().substring(0, slash) + "/");
                    }
                    int mode = ServicesStage.EXECUTABLE.contains(f.getKey()) ? 0755 : 0644;
                    file(tar, top + "services/" + s.getKey() + "/" + f.getKey(), mode, f.getValue().length, null, f.getValue());
                }
            }
            tar.finish();
        } catch (IOException e) {
            throw new PipelineException("writing firmware.tar: " + e.getMessage());
        }
        return output;
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, long size, Path src, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(size);
        fixed(e);
        tar.putArchiveEntry(e);
        if (src != null) {
            Files.copy(src, tar);
        } else {
            tar.write(bytes);
        }
        tar.closeArchiveEntry();
    }

    private static void fixed(TarArchiveEntry e) {
        e.setModTime(0);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
    }
}
