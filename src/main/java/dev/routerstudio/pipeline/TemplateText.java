package dev.routerstudio.pipeline;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {{style:key}} placeholders in a target-side template. There is no unquoted style on
 * purpose: every value passes through {@link ScriptQuoting}. {{raw:key}} is reserved for text
 * the pipeline itself assembled from already-quoted parts. A line that starts with {{?key}}
 * is kept (without the marker) only when the profile gives that key: optional settings.
 */
public final class TemplateText {

    private static final Pattern OPTIONAL_LINE = Pattern.compile("(?m)^\\{\\{\\?([A-Za-z0-9_.-]+)}}(.*(?:\\R|\\z))");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+):([A-Za-z0-9_.-]+)}}");

    private TemplateText() {
    }

    public static String render(String template, Map<String, String> values, String where) {
        Matcher optional = OPTIONAL_LINE.matcher(template);
        StringBuilder kept = new StringBuilder();
        while (optional.find()) {
            optional.appendReplacement(kept, values.containsKey(optional.group(1)) ? Matcher.quoteReplacement(optional.group(2)) : "");
        }
        optional.appendTail(kept);
        Matcher m = PLACEHOLDER.matcher(kept);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String style = m.group(1);
            String key = m.group(2);
            String value = values.get(key);
            if (value == null) {
                throw new PipelineException(where + " uses {{" + style + ":" + key + "}} but the profile gives no '" + key + "'");
            }
            String text;
            try {
                text = style.equals("raw") ? value : ScriptQuoting.quote(style, value);
            } catch (IllegalArgumentException e) {
                throw new PipelineException(where + ": " + key + ": " + e.getMessage());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
