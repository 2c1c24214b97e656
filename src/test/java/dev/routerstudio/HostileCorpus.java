package dev.routerstudio;

import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hostile strings kept in src/test/resources/hostile/strings.jsonl, one JSON string literal per line. */
public final class HostileCorpus {

    private static List<String> strings;

    private HostileCorpus() {
    }

    public static synchronized List<String> strings() {
        if (strings == null) {
            JsonMapper json = JsonMapper.builder().build();
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    HostileCorpus.class.getResourceAsStream("/hostile/strings.jsonl"), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        out.add(json.readValue(line, String.class));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            strings = List.copyOf(out);
        }
        return strings;
    }

    /** JSON values of the wrong type or out of range, for number, list and object fields. */
    public static final List<String> CONFUSED_VALUES = List.of("\"abc\"", "\"1500\"", "1.5", "1e309", "-1", "0", "2147483648",
            "99999999999999999999", "-99999999999999999999", "true", "false", "null", "[]", "[1]", "{}", "{\"a\":1}", "\"\"",
            "\"\\u0000\"", "NaN", "[null]", "[[]]", "[{}]");

    /** Short, printable description of a corpus entry for messages. */
    public static String describe(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b + (s.length() > 40 ? "…(" + s.length() + ")" : "");
    }
}
