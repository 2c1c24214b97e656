package dev.routerstudio.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * The lab's path check for a build: a runner script (qemu-runner/checks/path-run.sh) plus one
 * line per package on PATH, saying how to run its main program (path-programs.conf), shipped in
 * lab.json as variables: path = true when the profile has packages on PATH, path.script.1…4 the
 * script gzipped and base64-encoded in pieces short enough for one typed console line each.
 * Written from the profile alone, like the rest of lab.json.
 */
final class PathCheck {

    static final int PIECES = 4;
    /** Busybox's line editor takes 1024 characters; the engine's markers and printf need some. */
    static final int PIECE_CHARS = 800;

    private PathCheck() {
    }

    static Map<String, String> variables(List<String> packages, Map<String, String> values) {
        Map<String, String> vars = new TreeMap<>();
        vars.put("path", String.valueOf(!packages.isEmpty()));
        String encoded = packages.isEmpty() ? "" : Base64.getEncoder().encodeToString(gzip(script(packages, values)));
        if (encoded.length() > PIECES * PIECE_CHARS) {
            throw new PipelineException("the path check cannot carry " + packages.size() + " packages (its script is "
                    + encoded.length() + " characters, at most " + PIECES * PIECE_CHARS + " fit)");
        }
        for (int i = 0; i < PIECES; i++) {
            int from = Math.min(encoded.length(), i * PIECE_CHARS);
            vars.put("path.script." + (i + 1), encoded.substring(from, Math.min(encoded.length(), from + PIECE_CHARS)));
        }
        return vars;
    }

    static String script(List<String> packages, Map<String, String> values) {
        PipelineResources.Conf conf = PipelineResources.conf("qemu-runner/checks/path-programs.conf");
        StringBuilder sb = new StringBuilder();
        for (String line : PipelineResources.text("qemu-runner/checks/path-run.sh").split("\n")) {
            if (!line.strip().startsWith("#")) {
                sb.append(line).append('\n');
            }
        }
        for (String pkg : packages) {
            String how = conf.props().getProperty(pkg);
            if (how == null || how.isBlank()) {
                sb.append("help ").append(ScriptQuoting.sh(pkg)).append('\n');
                continue;
            }
            String command = how.strip();
            String seconds = "0";
            if (command.startsWith("interactive ")) {
                String[] f = command.split("\\s+", 3);
                if (f.length < 3 || !f[1].matches("[1-9][0-9]?")) {
                    throw new PipelineException(conf.path() + ": " + pkg + " wants 'interactive SECONDS COMMAND'");
                }
                seconds = f[1];
                command = f[2];
            }
            command = TemplateText.render(command, values, conf.path() + ": " + pkg);
            sb.append("run ").append(ScriptQuoting.sh(pkg)).append(' ').append(seconds).append(' ').append(ScriptQuoting.sh(command)).append('\n');
        }
        sb.append("echo \"path: $n programs, $failed failed, $notrun not run\"\n");
        return sb.toString();
    }

    /** gzip with a fixed header (no name, time 0), so the same packages give the same lab.json. */
    private static byte[] gzip(String text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new PipelineException("path check script: " + e.getMessage());
        }
    }
}
