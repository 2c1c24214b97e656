package dev.routerstudio.lab;

import java.util.regex.Pattern;

/** Console text as checks read it: no carriage returns, no terminal escape sequences. */
final class ConsoleText {

    private static final Pattern ESCAPES = Pattern.compile("\u001b(\\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78DEHM])");

    private ConsoleText() {
    }

    static String clean(String text) {
        return ESCAPES.matcher(text).replaceAll("").replace("\r", "");
    }

    static String lastLines(String text, int n) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        int pos = end;
        for (int i = 0; i < n && pos > 0; i++) {
            pos = text.lastIndexOf('\n', pos - 1);
            if (pos < 0) {
                pos = 0;
                break;
            }
        }
        return text.substring(pos == 0 ? 0 : pos + 1, end);
    }
}
