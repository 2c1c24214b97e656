package dev.routerstudio.pipeline;

import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks each .deb (Commons Compress: ar + data.tar.xz) once into the package cache; a later
 * build reuses the tree and its entry index, so a warm build decompresses nothing.
 */
public final class UnpackStage {

    public List<UnpackedPackage> run(BuildContext ctx, List<ResolvedPackage> packages) {
        Path base = ctx.packageCacheDir().resolve("unpacked");
        List<UnpackedPackage> out = new ArrayList<>();
        int done = 0;
        int fresh = 0;
        try {
            Files.createDirectories(base);
            for (ResolvedPackage p : packages) {
                ctx.checkCancelled();
                String stem = p.debFileName().substring(0, p.debFileName().length() - 4);
                Path dir = base.resolve(stem);
                Path index = dir.resolve("index.tsv");
                if (!Files.exists(index)) {
                    unpack(p, base, dir);
                    fresh++;
                }
                out.add(new UnpackedPackage(p, dir.resolve("root"), readIndex(index)));
                ctx.progress().stage("unpack", ++done / (double) packages.size());
            }
        } catch (IOException e) {
            throw new PipelineException("unpacking into " + base + " failed: " + e.getMessage());
        }
        ctx.log("unpack: " + packages.size() + " packages, " + fresh + " newly unpacked, " + (packages.size() - fresh) + " from the cache");
        return out;
    }

    private static void unpack(ResolvedPackage p, Path base, Path dir) throws IOException {
        Path tmp = Files.createTempDirectory(base, ".unpack-");
        try {
            List<DebPackage.DebEntry> entries = DebPackage.extractData(p.deb(), tmp.resolve("root"));
            StringBuilder sb = new StringBuilder();
            for (DebPackage.DebEntry e : entries) {
                sb.append(e.kind()).append('\t').append(Integer.toOctalString(e.mode())).append('\t')
                        .append(e.path()).append('\t').append(e.linkTarget() == null ? "" : e.linkTarget()).append('\n');
            }
            Files.writeString(tmp.resolve("index.tsv"), sb.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another build unpacked the same .deb meanwhile; its tree is as good as ours.
                FileSystemUtils.deleteRecursively(tmp);
            }
        } catch (IOException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(tmp);
            throw e;
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
