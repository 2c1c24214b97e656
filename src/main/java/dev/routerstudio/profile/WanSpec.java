package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.Map;

/**
 * How the WAN connects: one record per mode, chosen by {@code "mode"} in JSON. A mode is this
 * record (its settings, their rules and form fields) plus its folder image-pipeline/wan/MODE/
 * (services, packages, files, lab peer). Jackson finds the modes from the permits list, so
 * a field of another mode is an unknown field, never silently ignored.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "mode")
public sealed interface WanSpec permits DhcpWan, PppoeWan, L2tpWan, StaticWan {

    /** The mode's id: its {@code "mode"} in JSON and its folder name under image-pipeline/wan/. */
    static String modeOf(Class<? extends WanSpec> type) {
        return type.getAnnotation(JsonTypeName.class).value();
    }

    default String mode() {
        return modeOf(getClass());
    }

    /** Adds this mode's field problems (fields named without the "wan." prefix) to the checks. */
    void validate(WanChecks checks);

    /** The same settings with empty text as absent, so equal settings have equal bytes. */
    WanSpec normalized();

    /** The PPP password, for modes that log in; null otherwise. */
    default String password() {
        return null;
    }

    default WanSpec withPassword(String password) {
        return this;
    }

    /** Whether this mode logs in with a password the studio keeps sealed. */
    default boolean hasPassword() {
        return this instanceof PppLogin;
    }

    /** Extra raw values (no quoting) the mode's templates use beyond its own fields, e.g. defaults. */
    default Map<String, String> derivedValues() {
        return Map.of();
    }
}
