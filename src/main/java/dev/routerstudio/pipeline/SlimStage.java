package dev.routerstudio.pipeline;

import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Swaps packages that have a recipe in image-pipeline/slim/ for their slim rebuild: Debian's
 * source package (apt-get source in the private apt state), its recipe's patches reverted, built
 * by the recipe's build.sh with Debian's cross compiler against a sysroot of mipsel -dev
 * packages. The rebuilt files go over a copy of the Debian package's tree, so prune, the size
 * chart and the SBOM see one package with the same name. Each rebuild is kept in the package
 * cache under slim/ by package version and recipe digest; a warm build compiles nothing.
 */
public final class SlimStage {

    /** A slim rebuild in the image: which recipe, from which source, with which options. */
    public record SlimBuild(String recipe, String packageName, String binaryVersion, String source, String sourceVersion,
                            String options, String off, String digest) {

        /** The version the size chart and SBOM show: Debian's, marked as the studio's rebuild. */
        public String version() {
            return binaryVersion + "+slim." + digest.substring(0, 12);
        }
    }

    public record Result(List<UnpackedPackage> userland, Map<String, SlimBuild> slim) {
    }

    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final ResolveStage resolver;
    private final String triplet;

    public SlimStage(ResolveStage resolver, String triplet) {
        this.resolver = resolver;
        this.triplet = triplet;
    }

    public Result run(BuildContext ctx, List<UnpackedPackage> userland) {
        Map<String, SlimRecipe> byPackage = new HashMap<>();
        for (SlimRecipe r : SlimRecipe.all()) {
            byPackage.put(r.replaces(), r);
        }
        List<UnpackedPackage> out = new ArrayList<>();
        Map<String, SlimBuild> slim = new LinkedHashMap<>();
        for (UnpackedPackage p : userland) {
            SlimRecipe recipe = byPackage.get(p.pkg().name());
            if (recipe == null) {
                out.add(p);
                continue;
            }
            ctx.checkCancelled();
            Cached c = cached(ctx, recipe, p);
            out.add(c.unpacked());
            slim.put(p.pkg().name(), c.build());
        }
        if (!slim.isEmpty()) {
            ctx.log("slim: " + String.join(", ", slim.values().stream().map(b -> b.packageName() + " " + b.version()).toList()));
        }
        return new Result(List.copyOf(out), slim);
    }

    private record Cached(UnpackedPackage unpacked, SlimBuild build) {
    }

    private Cached cached(BuildContext ctx, SlimRecipe recipe, UnpackedPackage stock) {
        Path base = ctx.packageCacheDir().resolve("slim");
        String stem = stock.pkg().debFileName().substring(0, stock.pkg().debFileName().length() - 4) + "_" + recipe.digest().substring(0, 16);
        Path dir = base.resolve(stem);
        try {
            Files.createDirectories(base);
            if (!Files.exists(dir.resolve("slim.properties"))) {
                // One build compiles a recipe; a second (thread or process) waits, then finds it done.
                JVM_LOCK.lock();
                try (FileChannel ch = FileChannel.open(base.resolve(stem + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (!Files.exists(dir.resolve("slim.properties"))) {
                        build(ctx, recipe, stock, base, dir);
                    }
                } finally {
                    JVM_LOCK.unlock();
                }
            } else {
                ctx.log("slim: " + recipe.name() + " from the cache (" + dir.getFileName() + ")");
            }
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve("slim.properties"), StandardCharsets.UTF_8)) {
                props.load(in);
            }
            SlimBuild b = new SlimBuild(recipe.name(), stock.pkg().name(), stock.pkg().version(), props.getProperty("source"),
                    props.getProperty("sourceVersion"), recipe.options(), recipe.off(), recipe.digest());
            return new Cached(new UnpackedPackage(stock.pkg(), dir.resolve("root"), readIndex(dir.resolve("index.tsv"))), b);
        } catch (IOException e) {
            throw new PipelineException("slim " + recipe.name() + " in " + base + ": " + e.getMessage());
        }
    }

    private void build(BuildContext ctx, SlimRecipe recipe, UnpackedPackage stock, Path base, Path dir) throws IOException {
        long start = System.nanoTime();
        String[] source = sourceOf(stock);
        String compiler = triplet + "-gcc";
        if (ToolRunner.run(ctx, null, null, false, List.of("sh", "-c", "command -v " + compiler)).exitCode() != 0) {
            throw new PipelineException("slim " + recipe.name() + ": the cross compiler " + compiler + " is missing — run bin/setup "
                    + "(it installs gcc-" + triplet + "), or build with \"slim\": false");
        }
        ctx.log("slim: building " + recipe.name() + " from Debian source " + source[0] + " " + source[1] + " (" + recipe.options() + ")");
        Path dsc = resolver.sourcePackage(ctx, source[0], source[1]);
        Path work = ctx.workDir().resolve("slim-" + recipe.name());
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        Path src = work.resolve("src");
        check(ToolRunner.run(ctx, work, null, false, List.of("dpkg-source", "-x", dsc.toAbsolutePath().toString(), src.toString())),
                recipe, "dpkg-source -x " + dsc.getFileName());
        for (String patch : recipe.revert()) {
            check(ToolRunner.run(ctx, src, null, false, List.of("patch", "-R", "-p1", "-s", "-i", "debian/patches/" + patch)),
                    recipe, "reverting debian/patches/" + patch);
        }
        Path sysroot = work.resolve("sysroot");
        Files.createDirectories(sysroot);
        if (!recipe.sysroot().isEmpty()) {
            List<ResolvedPackage> dev = resolver.devPackages(ctx, recipe.sysroot());
            for (UnpackedPackage u : new UnpackStage().run(ctx, dev)) {
                linkTree(u.root(), sysroot, false);
            }
        }
        for (var f : recipe.files().entrySet()) {
            Files.write(work.resolve("recipe-" + f.getKey()), f.getValue());
        }
        Path out = work.resolve("out");
        Files.createDirectories(out);
        Map<String, String> env = new HashMap<>();
        env.put("CROSS", triplet + "-");
        env.put("SYSROOT", sysroot.toAbsolutePath().toString());
        env.put("OUT", out.toAbsolutePath().toString());
        env.put("OPTIONS", recipe.options());
        env.put("RECIPE", work.toAbsolutePath().toString() + "/recipe-");
        env.put("JOBS", String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())));
        ToolRunner.Result r = ToolRunner.run(ctx, src, env, false, List.of("sh", work.resolve("recipe-build.sh").toString()));
        if (r.exitCode() != 0) {
            List<String> tail = r.output().subList(Math.max(0, r.output().size() - 25), r.output().size());
            tail.forEach(ctx::log);
            throw new PipelineException("slim " + recipe.name() + ": build.sh failed (exit " + r.exitCode() + "): "
                    + (tail.isEmpty() ? "no output" : tail.get(tail.size() - 1)));
        }
        for (String path : recipe.installs()) {
            if (!Files.isRegularFile(out.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
                throw new PipelineException("slim " + recipe.name() + ": build.sh did not install " + path);
            }
        }
        Path tmp = Files.createTempDirectory(base, ".slim-");
        try {
            Path root = tmp.resolve("root");
            linkTree(stock.root(), root, true);
            Map<String, DebPackage.DebEntry> index = new LinkedHashMap<>();
            for (DebPackage.DebEntry e : stock.entries()) {
                index.put(e.path(), e);
            }
            for (String path : recipe.installs()) {
                Path target = root.resolve(path.substring(1));
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.copy(out.resolve(path.substring(1)), target, StandardCopyOption.COPY_ATTRIBUTES);
                int mode = Files.isExecutable(target) ? 0755 : 0644;
                DebPackage.DebEntry old = index.get(path);
                index.put(path, new DebPackage.DebEntry(path, FsEntry.Kind.FILE, old != null && old.kind() == FsEntry.Kind.FILE ? old.mode() : mode, null));
            }
            StringBuilder sb = new StringBuilder();
            for (DebPackage.DebEntry e : index.values()) {
                sb.append(e.kind()).append('\t').append(Integer.toOctalString(e.mode())).append('\t')
                        .append(e.path()).append('\t').append(e.linkTarget() == null ? "" : e.linkTarget()).append('\n');
            }
            Files.writeString(tmp.resolve("index.tsv"), sb.toString(), StandardCharsets.UTF_8);
            Properties props = new Properties();
            props.setProperty("recipe", recipe.name());
            props.setProperty("source", source[0]);
            props.setProperty("sourceVersion", source[1]);
            props.setProperty("options", recipe.options());
            props.setProperty("digest", recipe.digest());
            try (var w = Files.newBufferedWriter(tmp.resolve("slim.properties"), StandardCharsets.UTF_8)) {
                props.store(w, null);
            }
            FileSystemUtils.deleteRecursively(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (IOException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(tmp);
            throw e;
        }
        FileSystemUtils.deleteRecursively(work);
        ctx.log("slim: built " + recipe.name() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** The source package's name and version, from the .deb's Source field ("name" or "name (version)"). */
    static String[] sourceOf(UnpackedPackage p) throws IOException {
        String name = p.pkg().name();
        String version = p.pkg().version();
        String field = DebPackage.control(p.pkg().deb()).get("Source");
        if (field != null && !field.isBlank()) {
            String[] parts = field.trim().split("\\s+", 2);
            name = parts[0];
            if (parts.length == 2 && parts[1].startsWith("(") && parts[1].endsWith(")")) {
                version = parts[1].substring(1, parts[1].length() - 1);
            }
        }
        return new String[] {name, version};
    }

    private static void check(ToolRunner.Result r, SlimRecipe recipe, String what) {
        if (r.exitCode() != 0) {
            throw new PipelineException("slim " + recipe.name() + ": " + what + " failed (exit " + r.exitCode() + "): "
                    + (r.output().isEmpty() ? "no output" : r.output().get(r.output().size() - 1)));
        }
    }

    /** Hard-links (or copies) a tree into another; existing files win unless replace. */
    static void linkTree(Path from, Path to, boolean replace) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    if (replace || !Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(t);
                        Files.createSymbolicLink(t, Files.readSymbolicLink(p));
                    }
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.createLink(t, p);
                    } catch (FileSystemException | UnsupportedOperationException e) {
                        Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("two packages of the sysroot have " + e.getFile(), e);
        }
    }

    private static List<DebPackage.DebEntry> readIndex(Path index) throws IOException {
        List<DebPackage.DebEntry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            entries.add(new DebPackage.DebEntry(f[2], FsEntry.Kind.valueOf(f[0]), Integer.parseInt(f[1], 8),
                    f[3].isEmpty() ? null : f[3]));
        }
        return entries;
    }
}
