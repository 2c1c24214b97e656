package dev.routerstudio.lab;

/**
 * Removes busybox's cursor-position query (ESC [ 6 n) from console text, also when it is split
 * across reads. Busybox asks at every prompt; if the bytes reached the browser, every open
 * xterm.js would answer and the answers would arrive as typed input. Busybox does not wait for
 * an answer, so filtering is enough; the count lets a console answer when configured to.
 */
final class CursorQueryFilter {

    static final String QUERY = "\u001b[6n";
    private String pending = "";
    private long queries;

    /** The text without queries; a trailing partial query is held back until the next call. */
    String filter(String chunk) {
        String s = pending + chunk;
        pending = "";
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int esc = s.indexOf('\u001b', i);
            if (esc < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, esc);
            String rest = s.substring(esc, Math.min(s.length(), esc + QUERY.length()));
            if (rest.equals(QUERY)) {
                queries++;
                i = esc + QUERY.length();
            } else if (rest.length() < QUERY.length() && QUERY.startsWith(rest)) {
                pending = rest;
                break;
            } else {
                out.append('\u001b');
                i = esc + 1;
            }
        }
        return out.toString();
    }

    /** Text held back so far (a lone ESC at the very end of the stream). */
    String flush() {
        String p = pending;
        pending = "";
        return p;
    }

    long queries() {
        return queries;
    }
}
