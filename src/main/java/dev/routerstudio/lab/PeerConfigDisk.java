package dev.routerstudio.lab;

import dev.routerstudio.pipeline.BuildContext;
import dev.routerstudio.pipeline.FsEntry;
import dev.routerstudio.pipeline.RootfsLayout;
import dev.routerstudio.pipeline.RootfsStage;
import dev.routerstudio.pipeline.TemplateText;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A peer's role as a small squashfs (its /dev/sdb, mounted on /config): the role's files from
 * qemu-runner/peers/ROLE rendered with TemplateText, so every profile value in them (the PPP
 * password above all) is quoted by ScriptQuoting for the file's own syntax.
 */
public final class PeerConfigDisk {

    private PeerConfigDisk() {
    }

    /** The rendered files, path (relative to /config) → content. */
    public static Map<String, String> render(PeerRole role, Map<String, String> values) {
        String dir = LabResources.ROOT + "peers/" + role.folder() + "/";
        Map<String, String> out = new TreeMap<>();
        out.put("role", role.folder() + "\n");
        out.put("hostname", values.getOrDefault("hostname", role.folder()) + "\n");
        List<String> files = LabResources.conf(dir + "role.conf").get("files");
        for (String f : files) {
            int eq = f.indexOf('=');
            int colon = f.lastIndexOf(':');
            String path = f.substring(0, eq);
            String template = LabResources.text(dir + f.substring(eq + 1, colon));
            out.put(path, TemplateText.render(template, values, role.folder() + "/" + path));
        }
        return out;
    }

    static int mode(PeerRole role, String path) {
        for (String f : LabResources.conf(LabResources.ROOT + "peers/" + role.folder() + "/role.conf").get("files")) {
            if (f.startsWith(path + "=")) {
                return Integer.parseInt(f.substring(f.lastIndexOf(':') + 1), 8);
            }
        }
        return 0644;
    }

    /** Writes the config disk for one peer into workDir/config.squashfs. */
    public static Path build(PeerRole role, Map<String, String> values, Path workDir, Consumer<String> log) {
        RootfsLayout layout = new RootfsLayout();
        for (Map.Entry<String, String> e : render(role, values).entrySet()) {
            layout.put(FsEntry.bytes("/" + e.getKey(), mode(role, e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8), "lab"));
        }
        BuildContext ctx = BuildContext.of(workDir, workDir, log, (s, f) -> { });
        return new RootfsStage().run(ctx, layout, workDir.resolve("config.squashfs"));
    }
}
