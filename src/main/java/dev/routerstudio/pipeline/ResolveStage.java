package dev.routerstudio.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves package names to pinned versions and their dependency closure with apt, in a private
 * state and cache under the package cache dir, for the target architecture only. The host's
 * configured sources are read as they are; its dpkg state and caches are never touched.
 * `apt-get update` runs only when the private lists are missing or older than maxListAge, and a
 * .deb already in the cache is never downloaded again.
 */
public final class ResolveStage {

    /** What resolve hands on: the userland closure and the kernel image package. */
    public record Resolution(List<ResolvedPackage> userland, ResolvedPackage kernel, String suite) {
        public List<ResolvedPackage> all() {
            List<ResolvedPackage> all = new ArrayList<>(userland);
            all.add(kernel);
            return all;
        }
    }

    private static final Pattern INST = Pattern.compile("^Inst (\\S+) (?:\\[[^]]*] )?\\((\\S+) .*\\[([^]]+)]\\)");
    private static final Pattern UNKNOWN = Pattern.compile("E: (?:Unable to locate package (\\S+)|Package '([^']+)' has no installation candidate|Couldn't find any package by .* for '([^']+)')");

    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final String arch;
    private final Duration maxListAge;

    public ResolveStage(String arch, Duration maxListAge) {
        this.arch = arch;
        this.maxListAge = maxListAge;
    }

    public Resolution run(BuildContext ctx, Collection<String> userlandPackages, String kernelPackage) {
        return run(ctx, userlandPackages, List.of(), kernelPackage, true);
    }

    /**
     * download=false only pins versions (for a spec hash); the .deb files are fetched by a build.
     * pathPackages: the profile's own packages, refused here when they (or what they depend on)
     * cannot work on the router (image-pipeline/packages/refuse.conf).
     */
    public Resolution run(BuildContext ctx, Collection<String> userlandPackages, Collection<String> pathPackages,
                          String kernelPackage, boolean download) {
        Path apt = ctx.packageCacheDir().resolve("apt-" + arch);
        try {
            Files.createDirectories(apt.resolve("lists/partial"));
            Files.createDirectories(apt.resolve("archives/partial"));
            Files.createDirectories(apt.resolve("cache"));
            Files.createDirectories(apt.resolve("state"));
            if (!Files.exists(apt.resolve("status"))) {
                Files.writeString(apt.resolve("status"), "");
            }
            // Our own lock: apt's locks are off (they would touch the host's dpkg lock). A file lock
            // guards against other processes; within this JVM threads queue on JVM_LOCK first, since
            // a second FileChannel.lock from the same JVM throws instead of waiting.
            JVM_LOCK.lock();
            try (FileChannel ch = FileChannel.open(apt.resolve("studio.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ctx.progress().stage("resolve", 0.05);
                if (listsStale(apt)) {
                    ctx.log("resolve: apt-get update (package lists missing or older than " + maxListAge.toDays() + " days)");
                    ToolRunner.Result r = ToolRunner.run(ctx, null, null, true, apt(apt, "update"));
                    if (r.exitCode() != 0) {
                        throw new PipelineException("apt-get update failed (exit " + r.exitCode() + "): " + lastError(r.output()));
                    }
                    Files.writeString(apt.resolve("lists-updated"), Instant.now() + "\n");
                } else {
                    ctx.log("resolve: package lists are fresh, no download");
                }
                String suite = suite(apt);
                ctx.progress().stage("resolve", 0.3);
                List<ResolvedPackage> userland = simulate(ctx, apt, userlandPackages, suite);
                refuse(ctx, apt, userland, pathPackages, suite);
                ctx.progress().stage("resolve", 0.5);
                List<ResolvedPackage> kernelClosure = simulate(ctx, apt, List.of(kernelPackage), suite);
                ResolvedPackage kernel = kernelClosure.stream()
                        .filter(p -> p.name().matches("linux-image-[0-9]+\\.[0-9]+.*"))
                        .findFirst()
                        .orElseThrow(() -> new PipelineException("'" + kernelPackage + "' does not lead to a linux-image package in " + suite + " " + arch));
                List<ResolvedPackage> all = new ArrayList<>(userland);
                all.add(kernel);
                if (download) {
                    download(ctx, apt, all);
                }
                ctx.progress().stage("resolve", 1.0);
                return new Resolution(userland, kernel, suite);
            }
        } catch (IOException e) {
            throw new PipelineException("package cache " + apt + ": " + e.getMessage());
        } finally {
            if (JVM_LOCK.isHeldByCurrentThread()) {
                JVM_LOCK.unlock();
            }
        }
    }

    /**
     * Packages (with their closure) for a slim recipe's sysroot: resolved and downloaded like the
     * image's own, into the same private cache.
     */
    public List<ResolvedPackage> devPackages(BuildContext ctx, Collection<String> names) {
        Path apt = ctx.packageCacheDir().resolve("apt-" + arch);
        JVM_LOCK.lock();
        try (FileChannel ch = FileChannel.open(apt.resolve("studio.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            List<ResolvedPackage> closure = simulate(ctx, apt, names, suite(apt));
            download(ctx, apt, closure);
            return closure;
        } catch (IOException e) {
            throw new PipelineException("package cache " + apt + ": " + e.getMessage());
        } finally {
            JVM_LOCK.unlock();
        }
    }

    /**
     * A Debian source package (its .dsc and the files it names) downloaded with apt-get source
     * into apt-ARCH/src/archives, kept like the .deb files. The private state gets deb-src entries
     * made from the host's own deb entries (its sources are read, never changed) and its own lists.
     */
    public Path sourcePackage(BuildContext ctx, String source, String version) {
        Path apt = ctx.packageCacheDir().resolve("apt-" + arch);
        Path src = apt.resolve("src");
        String dscName = source + "_" + version.replaceFirst("^[0-9]+:", "") + ".dsc";
        Path dsc = src.resolve("archives").resolve(dscName);
        JVM_LOCK.lock();
        try (FileChannel ch = FileChannel.open(apt.resolve("studio.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (Files.exists(dsc)) {
                return dsc;
            }
            Files.createDirectories(src.resolve("lists/partial"));
            Files.createDirectories(src.resolve("archives"));
            Files.createDirectories(src.resolve("cache"));
            Path parts = src.resolve("sources.list.d");
            Files.createDirectories(parts);
            String entries = SourceEntries.debSrcOf(Path.of("/etc/apt"));
            if (entries.isBlank()) {
                throw new PipelineException("the host's apt sources (/etc/apt/sources.list*) have no deb entries to derive deb-src entries from");
            }
            Path list = parts.resolve("studio-deb-src.sources");
            boolean changed = !Files.exists(list) || !Files.readString(list).equals(entries);
            if (changed) {
                Files.writeString(list, entries);
            }
            Path stamp = src.resolve("lists-updated");
            if (changed || !Files.exists(stamp)
                    || Files.getLastModifiedTime(stamp).toInstant().isBefore(Instant.now().minus(maxListAge))) {
                ctx.log("slim: apt-get update of the private source lists");
                ToolRunner.Result r = ToolRunner.run(ctx, null, null, true, sourceApt(apt, "update"));
                if (r.exitCode() != 0) {
                    throw new PipelineException("apt-get update (source lists) failed (exit " + r.exitCode() + "): " + lastError(r.output()));
                }
                Files.writeString(stamp, Instant.now() + "\n");
            }
            List<String> cmd = sourceApt(apt, "source");
            cmd.addAll(List.of("--download-only", source + "=" + version));
            ToolRunner.Result r = ToolRunner.run(ctx, src.resolve("archives"), null, true, cmd);
            if (r.exitCode() != 0 || !Files.exists(dsc)) {
                throw new PipelineException("apt-get source " + source + "=" + version + " failed (exit " + r.exitCode() + "): " + lastError(r.output()));
            }
            return dsc;
        } catch (IOException e) {
            throw new PipelineException("package cache " + src + ": " + e.getMessage());
        } finally {
            JVM_LOCK.unlock();
        }
    }

    private List<String> sourceApt(Path apt, String verb) {
        String s = apt.resolve("src").toAbsolutePath().toString();
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
        cmd.addAll(options(apt));
        cmd.addAll(List.of(
                "-o", "Dir::Etc::SourceList=/dev/null",
                "-o", "Dir::Etc::SourceParts=" + s + "/sources.list.d",
                "-o", "Dir::State::Lists=" + s + "/lists",
                "-o", "Dir::Cache=" + s + "/cache"));
        cmd.add(verb);
        return cmd;
    }

    /** Whether package lists were fetched before: then resolving needs no download. */
    public static boolean hasLists(Path packageCacheDir, String arch) {
        return Files.exists(packageCacheDir.resolve("apt-" + arch).resolve("lists-updated"));
    }

    /**
     * apt's answer depends only on the lists and the names asked for, so it is kept per
     * (lists stamp, names) and reused until the next apt-get update.
     */
    private List<ResolvedPackage> simulate(BuildContext ctx, Path apt, Collection<String> names, String suite) throws IOException {
        Path stamp = apt.resolve("lists-updated");
        String key = SpecHash.sha256(((Files.exists(stamp) ? Files.readString(stamp) : "") + "\n"
                + String.join(" ", names.stream().sorted().toList())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path cached = apt.resolve("resolved").resolve(key + ".tsv");
        if (Files.exists(cached)) {
            List<ResolvedPackage> out = new ArrayList<>();
            for (String line : Files.readAllLines(cached)) {
                String[] f = line.split("\t");
                ResolvedPackage p = new ResolvedPackage(f[0], f[1], f[2], null);
                out.add(new ResolvedPackage(f[0], f[1], f[2], apt.resolve("archives").resolve(p.debFileName())));
            }
            ctx.log("resolve: " + String.join(" ", names) + " -> " + out.size() + " packages (as resolved before with these lists)");
            return out;
        }
        List<ResolvedPackage> out = simulateWithApt(ctx, apt, names, suite);
        Files.createDirectories(cached.getParent());
        StringBuilder sb = new StringBuilder();
        out.forEach(p -> sb.append(p.name()).append('\t').append(p.version()).append('\t').append(p.arch()).append('\n'));
        Path tmp = Files.createTempFile(cached.getParent(), ".resolved-", ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private List<ResolvedPackage> simulateWithApt(BuildContext ctx, Path apt, Collection<String> names, String suite) {
        List<String> cmd = apt(apt, "install");
        cmd.addAll(List.of("-s", "--no-install-recommends", "-y"));
        cmd.addAll(names);
        ToolRunner.Result r = ToolRunner.run(ctx, null, null, false, cmd);
        if (r.exitCode() != 0) {
            for (String line : r.output()) {
                Matcher m = UNKNOWN.matcher(line);
                if (m.find()) {
                    String bad = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    throw new PipelineException(unknownPackageMessage(ctx, apt, bad, suite));
                }
            }
            r.output().forEach(ctx::log);
            throw new PipelineException("apt cannot resolve " + String.join(" ", names) + ": " + lastError(r.output()));
        }
        List<ResolvedPackage> out = new ArrayList<>();
        for (String line : r.output()) {
            Matcher m = INST.matcher(line);
            if (m.find()) {
                String name = m.group(1);
                String version = m.group(2);
                String pkgArch = m.group(3);
                ResolvedPackage p = new ResolvedPackage(name, version, pkgArch, null);
                out.add(new ResolvedPackage(name, version, pkgArch, apt.resolve("archives").resolve(p.debFileName())));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        ctx.log("resolve: " + String.join(" ", names) + " -> " + out.size() + " packages");
        return out;
    }

    /**
     * A PATH package that is, or pulls in, a package refuse.conf names fails the build with the
     * reason. Only when the whole closure has one is each PATH package resolved alone (apt's
     * answers are cached), to name the one that pulls it in.
     */
    private void refuse(BuildContext ctx, Path apt, List<ResolvedPackage> closure, Collection<String> pathPackages, String suite) throws IOException {
        if (pathPackages.isEmpty()) {
            return;
        }
        PipelineResources.Conf conf = PipelineResources.conf(ImageRecipe.ROOT + "packages/refuse.conf");
        java.util.Map<String, String> hits = new java.util.LinkedHashMap<>();
        for (ResolvedPackage p : closure) {
            String reason = refusal(conf, p.name());
            if (reason != null) {
                hits.put(p.name(), reason);
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        for (String name : pathPackages) {
            if (hits.containsKey(name)) {
                throw new PipelineException("package '" + name + "' cannot work on the router: " + hits.get(name));
            }
        }
        for (String name : pathPackages) {
            for (ResolvedPackage p : simulate(ctx, apt, List.of(name), suite)) {
                if (hits.containsKey(p.name())) {
                    throw new PipelineException("package '" + name + "' cannot work on the router: it depends on '" + p.name()
                            + "', which " + hits.get(p.name()));
                }
            }
        }
    }

    /** The reason refuse.conf gives for a package name (keys may end in * or start with *), or null. */
    static String refusal(PipelineResources.Conf conf, String name) {
        for (String k : conf.keys()) {
            boolean hit = k.endsWith("*") ? name.startsWith(k.substring(0, k.length() - 1))
                    : k.startsWith("*") ? name.endsWith(k.substring(1)) : name.equals(k);
            if (hit) {
                return conf.get(k);
            }
        }
        return null;
    }

    private void download(BuildContext ctx, Path apt, List<ResolvedPackage> packages) {
        List<String> missing = new ArrayList<>();
        for (ResolvedPackage p : packages) {
            if (!Files.exists(p.deb())) {
                missing.add(p.name() + ":" + p.arch() + "=" + p.version());
            }
        }
        if (missing.isEmpty()) {
            ctx.log("resolve: all " + packages.size() + " .deb files are in the cache, nothing to download");
            return;
        }
        ctx.log("resolve: downloading " + missing.size() + " .deb files");
        List<String> cmd = apt(apt, "download");
        cmd.addAll(missing);
        ToolRunner.Result r = ToolRunner.run(ctx, apt.resolve("archives"), null, true, cmd);
        if (r.exitCode() != 0) {
            throw new PipelineException("apt-get download failed (exit " + r.exitCode() + "): " + lastError(r.output()));
        }
        for (ResolvedPackage p : packages) {
            if (!Files.exists(p.deb())) {
                throw new PipelineException("apt-get download did not produce " + p.deb().getFileName());
            }
        }
    }

    private String unknownPackageMessage(BuildContext ctx, Path apt, String bad, String suite) {
        List<String> cmd = new ArrayList<>(List.of("apt-cache"));
        cmd.addAll(options(apt));
        cmd.add("pkgnames");
        ToolRunner.Result r = ToolRunner.run(ctx, null, null, false, cmd);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : r.output()) {
            int d = levenshtein(bad, name, 3);
            if (d < bestDistance || (d == bestDistance && best != null && name.compareTo(best) < 0)) {
                bestDistance = d;
                best = name;
            }
        }
        String msg = "package '" + bad + "' is not in " + suite + " " + arch;
        return best != null && bestDistance <= 2 ? msg + " — did you mean '" + best + "'?" : msg;
    }

    /** Edit distance, giving up (returning limit+1) once it must exceed limit. */
    static int levenshtein(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * apt dates list files by the archive's Release date, not by when we fetched them, so
     * freshness is kept in our own stamp file, written after each successful update.
     */
    private boolean listsStale(Path apt) throws IOException {
        Path stamp = apt.resolve("lists-updated");
        boolean haveLists;
        try (Stream<Path> s = Files.list(apt.resolve("lists"))) {
            haveLists = s.anyMatch(p -> p.getFileName().toString().matches(".*_Packages(\\.[a-z0-9]+)?"));
        }
        return !haveLists || !Files.exists(stamp)
                || Files.getLastModifiedTime(stamp).toInstant().isBefore(Instant.now().minus(maxListAge));
    }

    /** The first suite name in the private lists (e.g. bookworm), for messages. */
    private static String suite(Path apt) throws IOException {
        Set<String> suites = new LinkedHashSet<>();
        try (Stream<Path> s = Files.list(apt.resolve("lists"))) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> {
                Matcher m = Pattern.compile("_dists_([a-z]+)_").matcher(n);
                if (m.find()) {
                    suites.add(m.group(1));
                }
            });
        }
        return suites.isEmpty() ? "the configured suites" : suites.iterator().next();
    }

    private List<String> apt(Path apt, String verb) {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
        cmd.addAll(options(apt));
        cmd.add(verb);
        return cmd;
    }

    private List<String> options(Path apt) {
        String a = apt.toAbsolutePath().toString();
        return new ArrayList<>(List.of(
                "-o", "Dir::State=" + a + "/state",
                "-o", "Dir::State::Lists=" + a + "/lists",
                "-o", "Dir::State::status=" + a + "/status",
                "-o", "Dir::Cache=" + a + "/cache",
                "-o", "Dir::Cache::archives=" + a + "/archives",
                // The host's docker-style config may switch the binary cache off; ours lives in the private dir.
                "-o", "Dir::Cache::pkgcache=pkgcache.bin",
                "-o", "Dir::Cache::srcpkgcache=srcpkgcache.bin",
                "-o", "APT::Architecture=" + arch,
                "-o", "APT::Architectures=" + arch,
                "-o", "APT::Sandbox::User=root",
                "-o", "Debug::NoLocking=true"));
    }

    private static String lastError(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            if (output.get(i).startsWith("E: ")) {
                return output.get(i).substring(3);
            }
        }
        return output.isEmpty() ? "no output" : output.get(output.size() - 1);
    }
}
