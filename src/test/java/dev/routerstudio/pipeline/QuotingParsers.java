package dev.routerstudio.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side re-implementations of how the target reads our files: pppd's getword (options and
 * secrets files) and the POSIX sh rules for quoted words. Tests parse generated files with
 * these instead of grepping them, and never run them on the host.
 */
final class QuotingParsers {

    private QuotingParsers() {
    }

    /** Splits a pppd options/secrets text into words, following pppd's options.c getword. */
    static List<byte[]> pppdWords(String text) {
        byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> words = new ArrayList<>();
        int i = 0;
        while (i < in.length) {
            int c = in[i] & 0xff;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < in.length && in[i] != '\n') {
                    i++;
                }
                continue;
            }
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            int quoted = 0;
            while (i < in.length) {
                c = in[i] & 0xff;
                if (c == '\\') {
                    i++;
                    if (i >= in.length) {
                        throw new IllegalStateException("backslash at end of file");
                    }
                    int e = in[i] & 0xff;
                    if (e == '\n') {
                        i++;
                        continue;
                    }
                    if (e >= '0' && e <= '7') {
                        int v = 0;
                        int n = 0;
                        while (n < 3 && i < in.length && in[i] >= '0' && in[i] <= '7') {
                            v = v * 8 + (in[i] - '0');
                            i++;
                            n++;
                        }
                        word.write(v);
                        continue;
                    }
                    switch (e) {
                        case 'a' -> word.write(7);
                        case 'b' -> word.write(8);
                        case 'f' -> word.write(12);
                        case 'n' -> word.write('\n');
                        case 'r' -> word.write('\r');
                        case 's' -> word.write(' ');
                        case 't' -> word.write('\t');
                        case 'v' -> word.write(11);
                        case 'x', '^' -> throw new IllegalStateException("escape \\" + (char) e + " not expected in generated files");
                        default -> word.write(e);
                    }
                    i++;
                    continue;
                }
                if (quoted != 0) {
                    if (c == quoted) {
                        quoted = 0;
                    } else {
                        word.write(c);
                    }
                    i++;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    quoted = c;
                    i++;
                    continue;
                }
                if (Character.isWhitespace(c)) {
                    break;
                }
                word.write(c);
                i++;
            }
            if (quoted != 0) {
                throw new IllegalStateException("unterminated quote");
            }
            words.add(word.toByteArray());
        }
        return words;
    }

    /**
     * Parses one POSIX sh word made of single-quoted parts, backslash-escaped characters and
     * plain characters. Returns null if the word contains anything the shell would expand or
     * split ($, `, unquoted whitespace, …), so a test can demand "no expansion possible".
     */
    static String shWord(String word) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '\'') {
                int end = word.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalStateException("unterminated single quote");
                }
                out.append(word, i + 1, end);
                i = end + 1;
            } else if (c == '\\') {
                if (i + 1 >= word.length()) {
                    throw new IllegalStateException("dangling backslash");
                }
                out.append(word.charAt(i + 1));
                i += 2;
            } else if ("$`\"*?[]{}~;&|<>() \t\n#".indexOf(c) >= 0) {
                return null;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Splits a line of sh into words at unquoted blanks, keeping the quoting of each word. */
    static List<String> shSplit(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inSingle = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inSingle) {
                cur.append(c);
                if (c == '\'') {
                    inSingle = false;
                }
            } else if (c == '\'') {
                inSingle = true;
                cur.append(c);
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(c).append(line.charAt(++i));
            } else if (c == ' ' || c == '\t') {
                if (cur.length() > 0) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (inSingle) {
            throw new IllegalStateException("unterminated single quote");
        }
        if (cur.length() > 0) {
            words.add(cur.toString());
        }
        return words;
    }

    /** execlineb's double-quoted word: backslash escapes the next character. */
    static String execlineWord(String word) {
        if (!word.startsWith("\"") || !word.endsWith("\"") || word.length() < 2) {
            throw new IllegalStateException("not a quoted execline word: " + word);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < word.length() - 1; i++) {
            char c = word.charAt(i);
            if (c == '\\') {
                out.append(word.charAt(++i));
            } else if (c == '"') {
                throw new IllegalStateException("unescaped quote inside execline word");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
