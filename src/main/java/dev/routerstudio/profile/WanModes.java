package dev.routerstudio.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The WAN modes the studio knows: each record permitted by {@link WanSpec}, described by its
 * folder image-pipeline/wan/MODE/mode.conf (label, description) and its fields' {@link FormField}s.
 * Nothing else lists the modes.
 */
public final class WanModes {

    /** One field of a mode as the form shows it. */
    public record Field(String name, FormField form, Class<?> type) {
        public String kind() {
            return form.kind();
        }
    }

    /** A mode: id, what the page calls it, one line about it, its record type and fields in order. */
    public record Mode(String id, String label, String description, Class<? extends WanSpec> type, List<Field> fields) {
        public boolean hasField(String name) {
            return fields.stream().anyMatch(f -> f.name().equals(name));
        }
    }

    private static final List<Mode> MODES = load();

    private WanModes() {
    }

    public static List<Mode> all() {
        return MODES;
    }

    public static Mode byId(String id) {
        return MODES.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    public static String ids() {
        return MODES.stream().map(Mode::id).collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static List<Mode> load() {
        List<Mode> modes = new ArrayList<>();
        for (Class<?> c : WanSpec.class.getPermittedSubclasses()) {
            Class<? extends WanSpec> type = (Class<? extends WanSpec>) c;
            String id = WanSpec.modeOf(type);
            Properties conf = modeConf(id);
            List<Field> fields = new ArrayList<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                FormField f = rc.getAnnotation(FormField.class);
                if (f == null) {
                    throw new IllegalStateException(type.getSimpleName() + "." + rc.getName() + " has no @FormField");
                }
                fields.add(new Field(rc.getName(), f, rc.getType()));
            }
            modes.add(new Mode(id, conf.getProperty("label", id).trim(), conf.getProperty("description", "").trim(), type, List.copyOf(fields)));
        }
        return List.copyOf(modes);
    }

    private static Properties modeConf(String id) {
        String path = "image-pipeline/wan/" + id + "/mode.conf";
        try (InputStream in = WanModes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("WAN mode '" + id + "' has no " + path);
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** One setting as the profile page shows it: label, text (null when not set), kind. */
    public record Fact(String label, String value, String kind) {
    }

    /** The settings of a WAN spec in its mode's field order; the password's value is never shown. */
    public static List<Fact> facts(WanSpec wan) {
        List<Fact> out = new ArrayList<>();
        for (RecordComponent rc : wan.getClass().getRecordComponents()) {
            FormField f = rc.getAnnotation(FormField.class);
            if (f.kind().equals("password")) {
                out.add(new Fact(f.label(), null, "password"));
                continue;
            }
            Object value;
            try {
                value = rc.getAccessor().invoke(wan);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value != null) {
                out.add(new Fact(f.label(), value instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                        : value.toString(), f.kind()));
            }
        }
        return out;
    }

    /** A box in the form: a field, shown for the modes that have it (space-separated ids). */
    public record FormBox(Field field, String modes) {
    }

    /** Every field name any mode has, in first-seen order: the form shows each once. */
    public static List<FormBox> formBoxes() {
        List<FormBox> out = new ArrayList<>();
        for (Mode m : MODES) {
            for (Field f : m.fields()) {
                if (out.stream().noneMatch(o -> o.field().name().equals(f.name()))) {
                    out.add(new FormBox(f, modesWith(f.name())));
                }
            }
        }
        return out;
    }

    /** The ids of the modes that have advanced fields, space-separated. */
    public static String modesWithAdvanced() {
        return MODES.stream().filter(m -> m.fields().stream().anyMatch(f -> f.form().advanced())).map(Mode::id)
                .collect(Collectors.joining(" "));
    }

    /** The ids of the modes that have a field, space-separated (the form's data-modes). */
    public static String modesWith(String field) {
        return Arrays.stream(MODES.toArray(Mode[]::new)).filter(m -> m.hasField(field)).map(Mode::id).collect(Collectors.joining(" "));
    }
}
