package dev.routerstudio.lab;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How the peer reads the files we render, re-implemented for tests (never run them on the host):
 * pppd's getword for secrets/options, and POSIX sh words made of single-quoted parts.
 * (The pipeline's tests have their own; these are small copies of the same rules.)
 */
final class TargetParsers {

    private TargetParsers() {
    }

    /** pppd getword: blanks split, "…" and '…' quote, backslash escapes (octal, \n, \t, …). */
    static List<String> pppdWords(String line) {
        byte[] in = line.getBytes(StandardCharsets.UTF_8);
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < in.length) {
            if (Character.isWhitespace(in[i])) {
                i++;
                continue;
            }
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            int quote = 0;
            while (i < in.length) {
                int c = in[i] & 0xff;
                if (c == '\\') {
                    int e = in[++i] & 0xff;
                    if (e >= '0' && e <= '7') {
                        int v = 0;
                        for (int n = 0; n < 3 && i < in.length && in[i] >= '0' && in[i] <= '7'; n++) {
                            v = v * 8 + (in[i++] - '0');
                        }
                        w.write(v);
                        continue;
                    }
                    w.write(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 's' -> ' ';
                        default -> e;
                    });
                    i++;
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        w.write(c);
                    }
                    i++;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    break;
                } else {
                    w.write(c);
                    i++;
                }
            }
            if (quote != 0) {
                throw new IllegalStateException("unterminated quote in " + line);
            }
            words.add(w.toString(StandardCharsets.UTF_8));
        }
        return words;
    }

    /**
     * sh words of a line that uses only single quotes and plain characters; anything the shell
     * would expand outside quotes ($, `, ;, …) makes the test fail.
     */
    static List<String> shWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean started = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalStateException("unterminated single quote in " + line);
                }
                cur.append(line, i + 1, end);
                started = true;
                i = end;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                started = true;
            } else if (c == ' ' || c == '\t') {
                if (started) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    started = false;
                }
            } else if ("$`\"*?;&|<>()#".indexOf(c) >= 0) {
                throw new IllegalStateException("unquoted '" + c + "' in " + line);
            } else {
                cur.append(c);
                started = true;
            }
        }
        if (started) {
            words.add(cur.toString());
        }
        return words;
    }
}
