package dev.routerstudio.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads qemu-runner/ files from the classpath (they are resources in the jar, too). */
final class LabResources {

    static final String ROOT = "qemu-runner/";

    private LabResources() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = LabResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** key = value lines, # comments, backslash continues a line; values split on blanks. */
    static Map<String, List<String>> conf(String path) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String joined = text(path).replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new IllegalStateException(path + ": line without '=': " + l);
            }
            List<String> values = new ArrayList<>();
            for (String v : l.substring(eq + 1).strip().split("\\s+")) {
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
            out.put(l.substring(0, eq).strip(), values);
        }
        return out;
    }
}
