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
 */
public final class PruneStage {

    private static final List<String> EXEC_DIRS = List.of("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/");
    private static final List<String> NEVER = List.of("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/",
            "/usr/share/locale/", "/usr/share/lintian/", "/usr/share/bug/");

    record Candidate(UnpackedPackage pkg, DebPackage.DebEntry entry) {
    }

    private final List<String> libraryDirs;

    /** libraryDirs: where the target's dynamic linker looks, in order ({@link TargetSpec#libraryDirs()}). */
    public PruneStage(List<String> libraryDirs) {
        this.libraryDirs = List.copyOf(libraryDirs);
    }

    public void run(BuildContext ctx, ImageRecipe recipe, List<UnpackedPackage> packages, RootfsLayout root) {
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
                ctx.log("prune: package '" + name + "' has no executables on PATH; nothing of it is kept");
            }
        }
        Set<String> done = new LinkedHashSet<>();
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
        ctx.log("prune: kept " + root.files().size() + " files (" + elfCount + " ELF) from " + packages.size() + " packages");
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
