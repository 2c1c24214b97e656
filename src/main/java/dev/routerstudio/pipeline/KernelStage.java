package dev.routerstudio.pipeline;

import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Debian's Malta kernel: checks every feature the profile needs against its config and module
 * lists (built in, module, or missing → build error), runs depmod on the cached package once,
 * and computes the module closures: boot modules for the initramfs, the rest for the root.
 */
public final class KernelStage {

    public enum Status { BUILTIN, MODULE, MISSING }

    public record FeatureCheck(String feature, Status status, List<String> requirements) {
    }

    /** One module to load: its name and path below /lib/modules/VERSION/. */
    public record Module(String name, String relPath) {
    }

    public record Kernel(String version, Path vmlinuz, Path modulesDir, List<FeatureCheck> features,
                         List<Module> bootModules, List<Module> rootModules) {
    }

    public Kernel run(BuildContext ctx, ImageRecipe recipe, UnpackedPackage pkg) {
        try {
            Path modulesBase = pkg.root().resolve("lib/modules");
            String version;
            try (Stream<Path> s = Files.list(modulesBase)) {
                version = s.map(p -> p.getFileName().toString()).sorted().findFirst()
                        .orElseThrow(() -> new PipelineException(pkg.pkg().name() + " has no /lib/modules/VERSION"));
            }
            Path modulesDir = modulesBase.resolve(version);
            Path vmlinuz = pkg.root().resolve("boot/vmlinuz-" + version);
            Path config = pkg.root().resolve("boot/config-" + version);
            if (!Files.exists(modulesDir.resolve("modules.dep"))) {
                ctx.log("kernel: depmod -b for " + version + " (once per kernel package)");
                ToolRunner.Result r = ToolRunner.run(ctx, null, null, true, List.of("depmod", "-b", pkg.root().toString(), version));
                if (r.exitCode() != 0) {
                    throw new PipelineException("depmod failed for " + version + " (exit " + r.exitCode() + ")");
                }
            }
            Map<String, String> cfg = new HashMap<>();
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                if (line.startsWith("CONFIG_") && line.contains("=")) {
                    cfg.put(line.substring(7, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
            Set<String> builtin = new HashSet<>();
            for (String line : Files.readAllLines(modulesDir.resolve("modules.builtin"), StandardCharsets.UTF_8)) {
                builtin.add(moduleName(line));
            }
            Map<String, String> paths = new HashMap<>();
            Map<String, List<String>> deps = new HashMap<>();
            for (String line : Files.readAllLines(modulesDir.resolve("modules.dep"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                String rel = line.substring(0, colon);
                String name = moduleName(rel);
                paths.put(name, rel);
                List<String> d = new ArrayList<>();
                for (String s : line.substring(colon + 1).trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        d.add(moduleName(s));
                    }
                }
                deps.put(name, d);
            }

            // Soft dependencies (libcrc32c needs crc32c) are not in modules.dep; names may be aliases.
            Map<String, String> aliases = new HashMap<>();
            Path aliasFile = modulesDir.resolve("modules.alias");
            if (Files.exists(aliasFile)) {
                for (String line : Files.readAllLines(aliasFile, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 3 && f[0].equals("alias") && !f[1].contains("*")) {
                        aliases.putIfAbsent(f[1].replace('-', '_'), f[2]);
                    }
                }
            }
            Path softdepFile = modulesDir.resolve("modules.softdep");
            if (Files.exists(softdepFile)) {
                for (String line : Files.readAllLines(softdepFile, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 3 || !f[0].equals("softdep")) {
                        continue;
                    }
                    String mod = moduleName(f[1]);
                    List<String> pre = new ArrayList<>();
                    boolean inPre = false;
                    for (int i = 2; i < f.length; i++) {
                        if (f[i].endsWith(":")) {
                            inPre = f[i].equals("pre:");
                        } else if (inPre) {
                            String dep = moduleName(f[i]);
                            dep = paths.containsKey(dep) || builtin.contains(dep) ? dep : aliases.getOrDefault(dep, dep);
                            if (paths.containsKey(dep)) {
                                pre.add(dep);
                            }
                        }
                    }
                    if (!pre.isEmpty() && deps.containsKey(mod)) {
                        List<String> all = new ArrayList<>(pre);
                        all.addAll(deps.get(mod));
                        deps.put(mod, all);
                    }
                }
            }

            PipelineResources.Conf features = PipelineResources.conf(ImageRecipe.ROOT + "kernel/features.conf");
            List<FeatureCheck> checks = new ArrayList<>();
            Map<String, List<String>> featureModules = new LinkedHashMap<>();
            for (String feature : recipe.kernelFeatures()) {
                List<String> reqs = features.list(feature);
                if (reqs.isEmpty()) {
                    throw new PipelineException("kernel feature '" + feature + "' is not described in image-pipeline/kernel/features.conf");
                }
                Status worst = Status.BUILTIN;
                List<String> mods = new ArrayList<>();
                for (String req : reqs) {
                    Status s;
                    if (req.startsWith("config:")) {
                        String v = cfg.get(req.substring(7));
                        s = "y".equals(v) ? Status.BUILTIN : "m".equals(v) ? Status.MODULE : Status.MISSING;
                    } else {
                        String m = moduleName(req.substring(7));
                        s = builtin.contains(m) ? Status.BUILTIN : paths.containsKey(m) ? Status.MODULE : Status.MISSING;
                        if (s == Status.MODULE) {
                            mods.add(m);
                        }
                    }
                    if (s.ordinal() > worst.ordinal()) {
                        worst = s;
                    }
                    if (s == Status.MISSING) {
                        throw new PipelineException("the kernel " + version + " lacks '" + feature + "' (" + req
                                + " is neither built in nor a module)");
                    }
                }
                checks.add(new FeatureCheck(feature, worst, reqs));
                featureModules.put(feature, mods);
            }
            Set<String> bootSet = new LinkedHashSet<>();
            Set<String> rootSet = new LinkedHashSet<>();
            for (Map.Entry<String, List<String>> e : featureModules.entrySet()) {
                boolean boot = recipe.bootFeatures().contains(e.getKey());
                for (String m : e.getValue()) {
                    closure(m, deps, builtin, boot ? bootSet : rootSet);
                }
            }
            rootSet.removeAll(bootSet);
            ctx.log("kernel: " + version + ", boot modules " + bootSet + ", root modules " + rootSet);
            return new Kernel(version, vmlinuz, modulesDir, checks, modules(bootSet, paths), modules(rootSet, paths));
        } catch (IOException e) {
            throw new PipelineException("kernel package " + pkg.pkg().name() + ": " + e.getMessage());
        }
    }

    /** Adds m after its dependencies, so the set's order is a valid insmod order. */
    private static void closure(String m, Map<String, List<String>> deps, Set<String> builtin, Set<String> out) {
        if (out.contains(m) || builtin.contains(m)) {
            return;
        }
        for (String d : deps.getOrDefault(m, List.of())) {
            closure(d, deps, builtin, out);
        }
        out.add(m);
    }

    private static List<Module> modules(Set<String> names, Map<String, String> paths) {
        List<Module> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Module(n, paths.get(n)));
        }
        return out;
    }

    static String moduleName(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        int dot = f.indexOf(".ko");
        return (dot >= 0 ? f.substring(0, dot) : f).replace('-', '_');
    }

    /** The root modules, their modules.* index (from depmod on just them) and the insmod list. */
    public void install(BuildContext ctx, Kernel kernel, RootfsLayout root) {
        String base = "/lib/modules/" + kernel.version() + "/";
        Path tree = ctx.workDir().resolve("kmod-root");
        try {
            FileSystemUtils.deleteRecursively(tree);
            Path mods = tree.resolve("lib/modules/" + kernel.version());
            Files.createDirectories(mods);
            StringBuilder list = new StringBuilder();
            for (Module m : kernel.rootModules()) {
                Path src = kernel.modulesDir().resolve(m.relPath());
                root.put(FsEntry.file(base + m.relPath(), 0644, src, "kernel-modules"));
                Files.createDirectories(mods.resolve(m.relPath()).getParent());
                Files.copy(src, mods.resolve(m.relPath()));
                list.append(base).append(m.relPath()).append('\n');
            }
            for (String f : List.of("modules.builtin", "modules.order", "modules.builtin.modinfo")) {
                if (Files.exists(kernel.modulesDir().resolve(f))) {
                    Files.copy(kernel.modulesDir().resolve(f), mods.resolve(f));
                }
            }
            ToolRunner.Result r = ToolRunner.run(ctx, null, null, true, List.of("depmod", "-b", tree.toString(), kernel.version()));
            if (r.exitCode() != 0) {
                throw new PipelineException("depmod for the root modules failed (exit " + r.exitCode() + ")");
            }
            for (String f : List.of("modules.dep", "modules.alias", "modules.symbols", "modules.builtin", "modules.order", "modules.softdep", "modules.devname")) {
                if (Files.exists(mods.resolve(f))) {
                    root.put(FsEntry.bytes(base + f, 0644, Files.readAllBytes(mods.resolve(f)), "kernel-modules"));
                }
            }
            root.put(FsEntry.text("/etc/s6/rc/modules", 0644, list.toString(), "kernel-modules"));
            FileSystemUtils.deleteRecursively(tree);
        } catch (IOException e) {
            throw new PipelineException("kernel modules for the root: " + e.getMessage());
        }
    }
}
