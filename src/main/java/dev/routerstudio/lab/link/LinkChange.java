package dev.routerstudio.lab.link;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A change to a link, as POST /api/v1/labs/{id}/links/{link} and the checks' "link" step say
 * it: state up or down, and/or the impairment's fields. A field left out keeps its value, so
 * {"state":"down"} keeps the impairment and {"lossPercent":0} only ends the loss.
 */
public record LinkChange(Boolean up, Double lossPercent, Integer delayMs, Integer jitterMs) {

    /** One thing wrong with a change: the field as the API spells it and what to do. */
    public record FieldError(String field, String message) {
    }

    /** Every bad field, not just the first. */
    public static final class InvalidChangeException extends IllegalArgumentException {
        private final transient List<FieldError> errors;

        public InvalidChangeException(List<FieldError> errors) {
            super(errors.stream().map(e -> e.field().isEmpty() ? e.message() : e.field() + " " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid link change"));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public static final String FIELDS = "state, lossPercent, delayMs, jitterMs";
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public boolean isEmpty() {
        return up == null && lossPercent == null && delayMs == null && jitterMs == null;
    }

    /** The impairment after this change is applied to current. */
    public Impairment applyTo(Impairment current) {
        return new Impairment(lossPercent != null ? lossPercent : current.lossPercent(),
                delayMs != null ? delayMs : current.delayMs(), jitterMs != null ? jitterMs : current.jitterMs());
    }

    /** The whole setting of a link, as a change that restores it. */
    public static LinkChange of(boolean up, Impairment imp) {
        return new LinkChange(up, imp.lossPercent(), imp.delayMs(), imp.jitterMs());
    }

    /** Strict: unknown fields, wrong types, values out of range and an empty change are each a field error. */
    public static LinkChange parseJson(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidChangeException(List.of(new FieldError("", "the body is empty — send JSON such as {\"state\":\"down\"} or "
                    + "{\"lossPercent\":20,\"delayMs\":80,\"jitterMs\":10}")));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String reason = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
            throw new InvalidChangeException(List.of(new FieldError("", "is not valid JSON" + where + reason)));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidChangeException(List.of(new FieldError("", "the body must be a JSON object such as {\"state\":\"down\"}")));
        }
        List<FieldError> errors = new ArrayList<>();
        Boolean up = null;
        Double loss = null;
        Integer delay = null;
        Integer jitter = null;
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "state" -> {
                    if (v.isString() && (v.asString().equals("up") || v.asString().equals("down"))) {
                        up = v.asString().equals("up");
                    } else {
                        errors.add(new FieldError("state", "must be \"up\" or \"down\""));
                    }
                }
                case "lossPercent" -> {
                    if (v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 100) {
                        loss = v.asDouble();
                    } else {
                        errors.add(new FieldError("lossPercent", "must be a number from 0 to 100 (percent of frames dropped, each direction)"));
                    }
                }
                case "delayMs" -> delay = millis(v, "delayMs", Impairment.MAX_DELAY_MS, "added to every frame", errors);
                case "jitterMs" -> jitter = millis(v, "jitterMs", Impairment.MAX_JITTER_MS, "give or take on the delay", errors);
                default -> errors.add(new FieldError(e.getKey(), "is not a known field — known fields: " + FIELDS));
            }
        }
        if (errors.isEmpty() && up == null && loss == null && delay == null && jitter == null) {
            errors.add(new FieldError("", "says nothing to change — give state (\"up\"/\"down\") and/or " + "lossPercent, delayMs, jitterMs"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidChangeException(errors);
        }
        return new LinkChange(up, loss, delay, jitter);
    }

    private static Integer millis(JsonNode v, String field, int max, String what, List<FieldError> errors) {
        if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0 && v.asInt() <= max) {
            return v.asInt();
        }
        errors.add(new FieldError(field, "must be a whole number of milliseconds from 0 to " + max + " (" + what + ")"));
        return null;
    }

    /**
     * The words after "link NAME" in a check: "up", "down", "clear" (no impairment), or any of
     * "loss P", "delay MS", "jitter MS".
     */
    public static LinkChange parseWords(String words) {
        String[] w = words.strip().split("\\s+");
        if (w.length == 1 && w[0].equals("up")) {
            return new LinkChange(true, null, null, null);
        }
        if (w.length == 1 && w[0].equals("down")) {
            return new LinkChange(false, null, null, null);
        }
        if (w.length == 1 && w[0].equals("clear")) {
            return new LinkChange(null, 0.0, 0, 0);
        }
        if (w.length == 0 || w.length % 2 != 0) {
            throw new IllegalArgumentException("want 'up', 'down', 'clear' or 'loss PERCENT', 'delay MS', 'jitter MS' (any of them), not '" + words.strip() + "'");
        }
        Double loss = null;
        Integer delay = null;
        Integer jitter = null;
        for (int i = 0; i < w.length; i += 2) {
            String v = w[i + 1];
            try {
                switch (w[i]) {
                    case "loss" -> loss = Double.parseDouble(v);
                    case "delay" -> delay = Integer.parseInt(v);
                    case "jitter" -> jitter = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown link setting '" + w[i] + "' (settings: loss, delay, jitter)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' after '" + w[i] + "' is not a number");
            }
        }
        LinkChange c = new LinkChange(null, loss, delay, jitter);
        c.applyTo(Impairment.NONE); // range checks
        return c;
    }
}
