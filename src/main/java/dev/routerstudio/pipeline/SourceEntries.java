package dev.routerstudio.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * deb-src entries for the studio's private apt state, made from the host's own deb entries
 * (sources.list, sources.list.d/*.list and *.sources), so source packages come from the mirrors
 * the host already uses. The host's files are only read.
 */
final class SourceEntries {

    private SourceEntries() {
    }

    /** All entries, in the deb822 format, in the order apt reads the host's files. */
    static String debSrcOf(Path etcApt) throws IOException {
        StringBuilder out = new StringBuilder();
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(etcApt.resolve("sources.list"))) {
            files.add(etcApt.resolve("sources.list"));
        }
        Path parts = etcApt.resolve("sources.list.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> s = Files.list(parts)) {
                s.filter(p -> p.getFileName().toString().endsWith(".list") || p.getFileName().toString().endsWith(".sources"))
                        .sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            String text = Files.readString(f);
            out.append(f.getFileName().toString().endsWith(".sources") ? fromDeb822(text) : fromOneLine(text));
        }
        return out.toString();
    }

    /** deb822 stanzas whose Types has deb, with Types: deb-src. */
    static String fromDeb822(String text) {
        StringBuilder out = new StringBuilder();
        for (String stanza : text.replace("\r", "").split("\n[ \t]*\n")) {
            List<String> lines = new ArrayList<>();
            boolean deb = false;
            for (String line : stanza.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.regionMatches(true, 0, "Types:", 0, 6)) {
                    deb = List.of(line.substring(6).trim().split("\\s+")).contains("deb");
                    lines.add("Types: deb-src");
                } else {
                    lines.add(line);
                }
            }
            if (deb) {
                out.append(String.join("\n", lines)).append("\n\n");
            }
        }
        return out.toString();
    }

    /** One-line entries "deb [options] URI suite components…" as deb822 stanzas of type deb-src. */
    static String fromOneLine(String text) {
        StringBuilder out = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
                continue;
            }
            String rest = line.substring(3).strip();
            List<String> options = new ArrayList<>();
            if (rest.startsWith("[")) {
                int end = rest.indexOf(']');
                if (end < 0) {
                    continue;
                }
                for (String o : rest.substring(1, end).trim().split("\\s+")) {
                    int eq = o.indexOf('=');
                    if (eq > 0) {
                        String key = switch (o.substring(0, eq)) {
                            case "signed-by" -> "Signed-By";
                            case "trusted" -> "Trusted";
                            case "arch" -> "Architectures";
                            default -> null;
                        };
                        if (key != null && !key.equals("Architectures")) {
                            options.add(key + ": " + o.substring(eq + 1));
                        }
                    }
                }
                rest = rest.substring(end + 1).strip();
            }
            String[] f = rest.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            out.append("Types: deb-src\nURIs: ").append(f[0]).append("\nSuites: ").append(f[1]).append('\n');
            if (f.length > 2) {
                out.append("Components: ").append(String.join(" ", List.of(f).subList(2, f.length))).append('\n');
            }
            options.forEach(o -> out.append(o).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }
}
