package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The profile's IPv6: on unless {@code enabled} is false (a profile without this object has it
 * on). With it on, a dynamic WAN mode asks the ISP for an address and a delegated prefix
 * (DHCPv6-PD; {@code prefixLength} is the size it asks for, the ISP may give another), the LAN
 * gets the prefix's first /64 and router advertisements. A profile-wide setting, not one of a
 * WAN mode or an optional service: it changes the WAN client, pppd's options and dnsmasq at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"enabled", "prefixLength"})
public record Ipv6Settings(Boolean enabled, Integer prefixLength) {

    public static final int MIN_PREFIX = 48;
    public static final int MAX_PREFIX = 64;

    public boolean on() {
        return enabled == null || enabled;
    }

    /** Null when it says no more than the default (on, no length asked for): equal profiles, equal bytes. */
    public Ipv6Settings normalized() {
        if (on() && prefixLength == null) {
            return null;
        }
        return new Ipv6Settings(on(), prefixLength);
    }

    void validate(java.util.function.BiConsumer<String, String> reject) {
        if (prefixLength != null) {
            if (!on()) {
                reject.accept("ipv6.prefixLength", "asks the ISP for a prefix, but IPv6 is off — turn it on or leave the length out");
            } else if (prefixLength < MIN_PREFIX || prefixLength > MAX_PREFIX) {
                reject.accept("ipv6.prefixLength", "must be " + MIN_PREFIX + "–" + MAX_PREFIX + " (the delegated prefix's length, like 56; got " + prefixLength + ")");
            }
        }
    }
}
