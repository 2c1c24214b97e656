package dev.routerstudio.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * The one place where a value from a profile becomes text inside a script or config file on
 * the target. Every template placeholder names its quoting style, and each style lives here.
 */
public final class ScriptQuoting {

    private ScriptQuoting() {
    }

    /** POSIX sh: one single-quoted word; the shell interprets nothing inside single quotes. */
    public static String sh(String value) {
        requireNoNul(value);
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * pppd options and secrets files (pppd's getword): one double-quoted word. Inside double
     * quotes pppd still treats backslash as an escape, so backslash and double quote are escaped,
     * and every control byte is written as a three-digit octal escape.
     */
    public static String pppd(String value) {
        requireNoNul(value);
        StringBuilder out = new StringBuilder("\"");
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '\\' || c == '"') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append('\\').append(String.format("%03o", c));
            } else if (c < 0x80) {
                out.append((char) c);
            } else {
                // Non-ASCII bytes pass through unchanged; we emit them as octal so the file stays ASCII.
                out.append('\\').append(String.format("%03o", c));
            }
        }
        return out.append('"').toString();
    }

    /**
     * execlineb: one double-quoted word. execlineb only interprets backslash and double quote
     * inside quotes; control characters are rejected because no profile value needs them.
     */
    public static String execline(String value) {
        requireNoNul(value);
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in a value for an execline script");
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * A bare token for config formats that have no quoting at all (dnsmasq, xl2tpd, hostname):
     * only characters that can never change the meaning of the line are accepted.
     */
    public static String token(String value) {
        requireNoNul(value);
        if (value.isEmpty() || !value.matches("[A-Za-z0-9._:/@+,=-]+")) {
            throw new IllegalArgumentException("value '" + printable(value)
                    + "' may only contain letters, digits and . _ : / @ + , = -");
        }
        return value;
    }

    /** A single line of free text in a plain file (e.g. /etc/hostname): no line breaks. */
    public static String line(String value) {
        requireNoNul(value);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("value '" + printable(value) + "' must be a single line");
        }
        return value;
    }

    /** A Java regular expression that matches exactly the value (for the lab's check variables). */
    public static String regex(String value) {
        requireNoNul(value);
        return java.util.regex.Pattern.quote(value);
    }

    /** Applies the named style; template placeholders say {{style:key}}. */
    public static String quote(String style, String value) {
        return switch (style) {
            case "sh" -> sh(value);
            case "pppd" -> pppd(value);
            case "execline" -> execline(value);
            case "token" -> token(value);
            case "line" -> line(value);
            case "regex" -> regex(value);
            default -> throw new IllegalArgumentException("unknown quoting style '" + style + "'");
        };
    }

    private static void requireNoNul(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing value");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL byte in a value");
        }
    }

    static String printable(String value) {
        return value.replaceAll("\\p{Cntrl}", "?");
    }
}
