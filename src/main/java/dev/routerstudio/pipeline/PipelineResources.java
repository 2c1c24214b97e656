package dev.routerstudio.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads the target-side sources under image-pipeline/ and qemu-runner/ from the classpath. */
final class PipelineResources {

    private PipelineResources() {
    }

    static boolean exists(String path) {
        return PipelineResources.class.getClassLoader().getResource(path) != null;
    }

    static byte[] bytes(String path) {
        try (InputStream in = PipelineResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new PipelineException("missing pipeline resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new PipelineException("cannot read pipeline resource " + path + ": " + e.getMessage());
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** A key = value file; values are whitespace-separated lists, lines continue with a backslash. */
    static Conf conf(String path) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text(path)));
        } catch (IOException e) {
            throw new PipelineException("cannot parse " + path + ": " + e.getMessage());
        }
        return new Conf(path, p);
    }

    record Conf(String path, Properties props) {
        List<String> list(String key) {
            String v = props.getProperty(key, "").trim();
            List<String> out = new ArrayList<>();
            for (String s : v.split("\\s+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }

        String get(String key) {
            String v = props.getProperty(key);
            if (v == null || v.isBlank()) {
                throw new PipelineException(path + " has no '" + key + "'");
            }
            return v.trim();
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>(props.stringPropertyNames());
            keys.sort(null);
            return keys;
        }
    }
}
