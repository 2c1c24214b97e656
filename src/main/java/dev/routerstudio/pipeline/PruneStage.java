package dev.routerstudio.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps what is used: the recipe's paths, the profile packages' executables, and everything
 * they reach through symlinks, PT_INTERP and DT_NEEDED (read from the ELF files themselves,
 * because apt's Depends do not list every library pppd loads). No docs, man pages or locales.
 * Every DT_NEEDED must resolve inside the image, or the build fails naming file and library.
 *
 * A package the profile puts on PATH keeps all its files, as dpkg would install them (its data
 * under /usr/share/NAME, /usr/lib/NAME, its conffiles under /etc, …), except docs, man pages,
 * info, locales and what belongs to software the router does not run (init scripts and systemd
 * units, cron, logrotate, AppArmor, desktop menus and icons, shell completions). Data packages
 * that Debian installs as essential and so no Depends names (ncurses' terminal database) come
 * along when a PATH package's closure needs them: image-pipeline/packages/data.conf.
 */
public final class PruneStage {

    private static final List<String> EXEC_DIRS = List.of("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/");
    private static final List<String> NEVER = List.of("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/",
            "/usr/share/locale/", "/usr/share/lintian/", "/usr/share/bug/");
    /** Not kept of a PATH package: they serve software the router does not run. */
    static final List<String> NOT_DATA = List.of("/etc/init.d/", "/etc/rc0.d/", "/etc/rc1.d/", "/etc/rc2.d/", "/etc/rc3.d/",
            "/etc/rc4.d/", "/etc/rc5.d/", "/etc/rc6.d/", "/etc/rcS.d/", "/etc/systemd/", "/lib/systemd/", "/usr/lib/systemd/",
            "/usr/lib/tmpfiles.d/", "/usr/lib/sysusers.d/", "/lib/udev/", "/usr/lib/udev/", "/etc/cron.d/", "/etc/cron.daily/",
            "/etc/cron.hourly/", "/etc/cron.weekly/", "/etc/cron.monthly/", "/etc/logrotate.d/", "/etc/apparmor.d/",
            "/usr/share/apport/", "/usr/share/doc-base/", "/usr/share/applications/", "/usr/share/icons/", "/usr/share/pixmaps/", "/usr/share/menu/",
            "/usr/share/bash-completion/", "/usr/share/zsh/", "/usr/share/fish/", "/usr/share/dbus-1/", "/usr/share/polkit-1/",
            "/usr/share/metainfo/", "/usr/share/appdata/");

    record Candidate(UnpackedPackage pkg, DebPackage.DebEntry entry) {
    }

    private final List<String> libraryDirs;

    /** libraryDirs: where the target's dynamic linker looks, in order ({@link TargetSpec#libraryDirs()}). */
    public PruneStage(List<String> libraryDirs) {
        this.libraryDirs = List.copyOf(libraryDirs);
    }

    /** Fills root; returns the paths kept as data files (not programs or libraries), for the size chart. */
    public Set<String> run(BuildContext ctx, ImageRecipe recipe, List<UnpackedPackage> packages, RootfsLayout root) {
        Map<String, Candidate> index = new HashMap<>();
        Map<String, UnpackedPackage> byName = new HashMap<>();
        for (UnpackedPackage p : packages) {
            byName.put(p.pkg().name(), p);
            for (DebPackage.DebEntry e : p.entries()) {
                index.putIfAbsent(e.path(), new Candidate(p, e));
            }
        }
        Deque<String> wanted = new ArrayDeque<>();
        for (String path : recipe.paths()) {
            if (path.endsWith("/*")) {
                String dir = path.substring(0, path.length() - 1);
                index.keySet().stream().filter(k -> k.startsWith(dir) && k.indexOf('/', dir.length()) < 0).sorted().forEach(wanted::add);
            } else {
                if (!index.containsKey(path)) {
                    throw new PipelineException("'" + path + "' is in no package of the closure (" + recipe.packages() + ")");
                }
                wanted.add(path);
            }
        }
        Set<String> data = new LinkedHashSet<>();
        // The image's own paths first, then the PATH packages' with a fresh "done" set, so that
        // reached (what data.conf asks about) is what the PATH packages need, not what nft needs.
        int elfCount = follow(ctx, wanted, new java.util.HashSet<>(), index, root, data, new java.util.HashSet<>());
        for (String name : recipe.profilePackages()) {
            UnpackedPackage p = byName.get(name);
            if (p == null) {
                throw new PipelineException("package '" + name + "' was resolved but not unpacked");
            }
            int before = wanted.size();
            for (DebPackage.DebEntry e : p.entries()) {
                if (e.kind() != FsEntry.Kind.DIR && EXEC_DIRS.stream().anyMatch(d -> e.path().startsWith(d)
                        && e.path().indexOf('/', d.length()) < 0)) {
                    wanted.add(e.path());
                }
            }
            if (wanted.size() == before) {
                ctx.log("prune: package '" + name + "' has no executables on PATH; its data files are kept");
            }
            for (DebPackage.DebEntry e : p.entries()) {
                if (isData(e.path()) && index.get(e.path()).pkg() == p) {
                    wanted.add(e.path());
                    if (EXEC_DIRS.stream().noneMatch(e.path()::startsWith)) {
                        data.add(e.path());
                    }
                }
            }
        }
        Set<String> done = new LinkedHashSet<>();
        Set<String> reached = new java.util.HashSet<>();
        elfCount += follow(ctx, wanted, done, index, root, data, reached);
        if (!recipe.profilePackages().isEmpty()) {
            elfCount += dataPackages(ctx, byName, wanted, done, index, root, data, reached);
        }
        data.retainAll(root.files().stream().map(FsEntry::path).collect(java.util.stream.Collectors.toSet()));
        ctx.log("prune: kept " + root.files().size() + " files (" + elfCount + " ELF, " + data.size() + " data) from " + packages.size() + " packages");
        return data;
    }

    static boolean isData(String path) {
        String p = path + "/";
        return NEVER.stream().noneMatch(p::startsWith) && NOT_DATA.stream().noneMatch(p::startsWith);
    }

    /**
     * data.conf: NAME.when = packages that call for NAME when a PATH package reaches them (reached:
     * the packages the PATH packages' files and ELF closure come from); NAME.keep = which of NAME's files.
     */
    private int dataPackages(BuildContext ctx, Map<String, UnpackedPackage> byName, Deque<String> wanted, Set<String> done,
                             Map<String, Candidate> index, RootfsLayout root, Set<String> data, Set<String> reached) {
        PipelineResources.Conf conf = PipelineResources.conf(ImageRecipe.ROOT + "packages/data.conf");
        Set<String> origins = Set.copyOf(reached);
        int elf = 0;
        for (String k : conf.keys()) {
            if (!k.endsWith(".when")) {
                continue;
            }
            String name = k.substring(0, k.length() - ".when".length());
            List<String> callers = conf.list(k).stream().filter(origins::contains).toList();
            UnpackedPackage p = byName.get(name);
            if (callers.isEmpty() || p == null) {
                continue;
            }
            List<String> keep = conf.list(name + ".keep");
            for (DebPackage.DebEntry e : p.entries()) {
                if (e.kind() != FsEntry.Kind.DIR && isData(e.path()) && keep.stream().anyMatch(g -> g.endsWith("*")
                        ? e.path().startsWith(g.substring(0, g.length() - 1)) : e.path().equals(g))) {
                    wanted.add(e.path());
                    data.add(e.path());
                }
            }
            ctx.log("prune: " + name + " kept for " + String.join(", ", callers) + " (" + String.join(" ", keep) + ")");
            elf += follow(ctx, wanted, done, index, root, data, reached);
        }
        return elf;
    }

    /** Adds the wanted paths and all they reach to root; reached collects the packages they came from. */
    private int follow(BuildContext ctx, Deque<String> wanted, Set<String> done, Map<String, Candidate> index,
                       RootfsLayout root, Set<String> data, Set<String> reached) {
        int elfCount = 0;
        try {
            while (!wanted.isEmpty()) {
                ctx.checkCancelled();
                String path = wanted.poll();
                if (!done.add(path) || NEVER.stream().anyMatch(path::startsWith)) {
                    continue;
                }
                Candidate c = index.get(path);
                if (c == null) {
                    continue;
                }
                String origin = c.pkg().pkg().name();
                reached.add(origin);
                switch (c.entry().kind()) {
                    case DIR -> root.putIfAbsent(FsEntry.dir(path, c.entry().mode()));
                    case SYMLINK -> {
                        root.put(FsEntry.symlink(path, c.entry().linkTarget(), origin));
                        wanted.add(resolveLink(path, c.entry().linkTarget()));
                    }
                    case FILE -> {
                        Path src = c.pkg().file(path);
                        root.put(new FsEntry(path, FsEntry.Kind.FILE, c.entry().mode(), 0, 0, src, null, null, 0, 0, origin));
                        Optional<ElfFile> elf = ElfFile.readIfElf(src);
                        if (elf.isPresent()) {
                            elfCount++;
                            data.remove(path);
                            if (elf.get().interpreter() != null) {
                                wanted.add(elf.get().interpreter());
                            }
                            for (String lib : elf.get().needed()) {
                                wanted.add(findLibrary(lib, path, elf.get(), index));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new PipelineException("prune: cannot read a file from the package cache: " + e.getMessage());
        }
        return elfCount;
    }

    private String findLibrary(String lib, String neededBy, ElfFile elf, Map<String, Candidate> index) {
        List<String> dirs = new ArrayList<>();
        String origin = neededBy.substring(0, neededBy.lastIndexOf('/'));
        for (String rp : elf.runpath()) {
            dirs.add(rp.replace("$ORIGIN", origin).replace("${ORIGIN}", origin));
        }
        dirs.addAll(libraryDirs);
        for (String d : dirs) {
            String p = normalize(d + "/" + lib);
            if (index.containsKey(p)) {
                return p;
            }
        }
        throw new PipelineException(neededBy + " needs " + lib + ", which no package in the closure provides");
    }

    static String resolveLink(String linkPath, String target) {
        String base = target.startsWith("/") ? target : linkPath.substring(0, linkPath.lastIndexOf('/') + 1) + target;
        return normalize(base);
    }

    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(s);
            }
        }
        return "/" + String.join("/", parts);
    }
}
