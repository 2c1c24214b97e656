package dev.routerstudio.pipeline;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One folder of image-pipeline/slim/: a Debian source package rebuilt for the router with fewer
 * features (recipe.conf says which, and why) by its build.sh. The digest covers every file of
 * the folder, so a changed recipe is a new cache entry.
 *
 * @param replaces the binary package whose files the build's output replaces
 * @param sysroot  mipsel -dev packages unpacked into the sysroot the cross compiler builds against
 * @param revert   Debian patches reverted before building (debian/patches/NAME)
 * @param files    every file of the folder by name (build.sh and whatever it reads)
 */
public record SlimRecipe(String name, String source, String replaces, List<String> sysroot, List<String> revert,
                         String options, String off, List<String> installs, Map<String, byte[]> files, String digest) {

    public static final String ROOT = ImageRecipe.ROOT + "slim/";

    private static List<SlimRecipe> all;

    /** Every recipe, by folder name. */
    public static synchronized List<SlimRecipe> all() {
        if (all == null) {
            List<SlimRecipe> out = new ArrayList<>();
            try {
                PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(SlimRecipe.class.getClassLoader());
                for (Resource r : resolver.getResources("classpath*:" + ROOT + "*/recipe.conf")) {
                    String url = r.getURL().toString();
                    String dir = url.substring(0, url.lastIndexOf('/'));
                    out.add(load(dir.substring(dir.lastIndexOf('/') + 1)));
                }
            } catch (IOException e) {
                throw new PipelineException("cannot list " + ROOT + ": " + e.getMessage());
            }
            out.sort((a, b) -> a.name().compareTo(b.name()));
            all = List.copyOf(out);
        }
        return all;
    }

    static SlimRecipe load(String name) {
        String dir = ROOT + name + "/";
        PipelineResources.Conf c = PipelineResources.conf(dir + "recipe.conf");
        Map<String, byte[]> files = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver(SlimRecipe.class.getClassLoader()).getResources("classpath*:" + dir + "*")) {
                String fn = r.getFilename();
                if (fn != null && !fn.isEmpty() && r.isReadable()) {
                    files.put(fn, r.getContentAsByteArray());
                }
            }
        } catch (IOException e) {
            throw new PipelineException("cannot read " + dir + ": " + e.getMessage());
        }
        if (!files.containsKey("build.sh")) {
            throw new PipelineException(dir + " has no build.sh");
        }
        String options = String.join(" ", c.list("options"));
        return new SlimRecipe(name, c.get("source"), c.get("replaces"), c.list("sysroot"), c.list("revert"), options,
                c.get("off"), c.list("installs"), Map.copyOf(files), digest(files));
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(files).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
