package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileSpec.DhcpRange;
import dev.routerstudio.profile.ProfileSpec.FileSpec;
import dev.routerstudio.profile.ProfileSpec.Interfaces;
import dev.routerstudio.profile.ProfileSpec.LanInterface;
import dev.routerstudio.profile.ProfileSpec.WanInterface;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one way profiles become JSON and back: a strict reader (unknown fields, duplicate keys,
 * floats for integers and trailing garbage are errors with the field named) and a canonical
 * writer (fixed key order, two-space indent, trailing newline), so export → import → export is
 * byte-identical and the canonical bytes can be hashed.
 */
public final class ProfileJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ProfileJson() {
    }

    /** Parses a ProfileSpec, translating every Jackson complaint into a field violation. */
    public static ProfileSpec read(String json) {
        if (json == null || json.isBlank()) {
            throw new ProfileValidationException(List.of(new Violation("", "the body is empty — send a profile as JSON (see /v3/api-docs)")));
        }
        try {
            ProfileSpec spec = MAPPER.readValue(json, ProfileSpec.class);
            if (spec == null) {
                throw new ProfileValidationException(List.of(new Violation("", "the body must be a JSON object, not null")));
            }
            return spec;
        } catch (InvalidTypeIdException e) {
            // "mode" picks the WAN record: missing or unknown, name the modes there are.
            String id = e.getTypeId();
            if (!MAPPER.readTree(json).path("wan").isObject()) {
                throw violation("wan", "must be an object such as {\"mode\": \"dhcp\"} (modes: " + WanModes.ids() + ")");
            }
            throw violation("wan.mode", (id == null || id.isEmpty() ? "is required" : "'" + clipped(id) + "' is not a WAN mode")
                    + " — use one of " + WanModes.ids());
        } catch (UnrecognizedPropertyException e) {
            if (e.getReferringClass() != null && WanSpec.class.isAssignableFrom(e.getReferringClass())) {
                @SuppressWarnings("unchecked")
                WanModes.Mode mode = WanModes.byId(WanSpec.modeOf((Class<? extends WanSpec>) e.getReferringClass()));
                String takes = mode.fields().stream().map(WanModes.Field::name).sorted().collect(Collectors.joining(", "));
                throw violation(path(e), "is not used by WAN mode " + mode.id() + " — remove it"
                        + (takes.isEmpty() ? "" : " (" + mode.id() + " takes " + takes + ")"));
            }
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw violation(path(e), "is not a known field" + (known.isEmpty() ? "" : " — known fields here: " + known));
        } catch (MismatchedInputException e) {
            throw violation(path(e), "must be " + describe(e.getTargetType()));
        } catch (StreamReadException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String reason = e.getOriginalMessage() == null ? "" : ": " + firstLine(e.getOriginalMessage());
            throw violation(path(e), "is not valid JSON" + where + reason);
        } catch (JacksonException e) {
            throw violation(path(e), "could not be read: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The canonical text of a spec: normalised, stable key order, two-space indent, trailing newline. */
    public static String write(ProfileSpec spec) {
        return MAPPER.writeValueAsString(spec) + "\n";
    }

    /**
     * Removes representational noise so equal profiles have equal bytes: empty optional text
     * becomes absent, absent lists become empty, services follow the catalogue order and
     * packages sort by name. Call after validation (it does not de-duplicate).
     */
    private static FirewallSettings firewall(FirewallSettings f) {
        FirewallSettings n = f == null ? null : f.normalized();
        return n == null || (n.portForwards() == null && n.openOnWan() == null) ? null : n;
    }

    public static ProfileSpec normalize(ProfileSpec s) {
        Interfaces ifs = s.interfaces();
        if (ifs != null) {
            WanInterface w = ifs.wan();
            LanInterface l = ifs.lan();
            ifs = new Interfaces(
                    w == null ? null : new WanInterface(blankToNull(w.device()), w.mtu(), w.vlan()),
                    l == null ? null : new LanInterface(blankToNull(l.device()), blankToNull(l.address()), l.mtu(),
                            l.dhcpRange() == null || (blank(l.dhcpRange().start()) && blank(l.dhcpRange().end())) ? null
                                    : new DhcpRange(blankToNull(l.dhcpRange().start()), blankToNull(l.dhcpRange().end()))));
        }
        WanSpec w = s.wan() == null ? null : s.wan().normalized();
        ServiceSettings settings = s.settings() == null ? null
                : new ServiceSettings(firewall(s.settings().firewall()), s.settings().ssh() == null ? null : s.settings().ssh().normalized());
        if (settings != null && settings.isEmpty()) {
            settings = null;
        }
        List<String> packages = s.packages() == null ? List.of() : s.packages().stream()
                .sorted(Comparator.nullsFirst(Comparator.naturalOrder())).toList();
        List<String> services = s.services() == null ? List.of() : s.services().stream()
                .sorted(Comparator.comparingInt(ServiceCatalog::order)).toList();
        List<FileSpec> files = new ArrayList<>();
        if (s.files() != null) {
            for (FileSpec f : s.files()) {
                files.add(f == null ? null : new FileSpec(f.path(), f.mode() == null || f.mode().isEmpty() ? "0644"
                        : f.mode().length() == 3 ? "0" + f.mode() : f.mode(), f.content()));
            }
        }
        return new ProfileSpec(blankToNull(s.name()), blankToNull(s.description()), blankToNull(s.hostname()),
                s.target() == null || s.target().isEmpty() ? ProfileSpec.DEFAULT_TARGET : s.target(),
                ifs, w, s.ipv6() == null ? null : s.ipv6().normalized(), packages, services, settings,
                java.util.Collections.unmodifiableList(files),
                // Slim is the default: only an explicit false is kept, so "slim": true hashes as no key at all.
                Boolean.FALSE.equals(s.slim()) ? Boolean.FALSE : null);
    }

    private static String clipped(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s;
    }

    private static ProfileValidationException violation(String field, String message) {
        return new ProfileValidationException(List.of(new Violation(field, message)));
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of a different type";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "text (a JSON string)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list (a JSON array)";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
