package dev.routerstudio.pipeline;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {{style:key}} placeholders in a target-side template. There is no unquoted style on
 * purpose: every value passes through {@link ScriptQuoting}. {{raw:key}} is reserved for text
 * the pipeline itself assembled from already-quoted parts.
 */
public final class TemplateText {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z]+):([A-Za-z0-9_.-]+)}}");

    private TemplateText() {
    }

    public static String render(String template, Map<String, String> values, String where) {
        Matcher m = PLACEHOLDER.matcher(template);
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
