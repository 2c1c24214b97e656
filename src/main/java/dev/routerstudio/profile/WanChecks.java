package dev.routerstudio.profile;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules a WAN mode's settings use, each adding a field-named {@link Violation} ("wan." +
 * field) so the API and the form show it next to the field. Modes call these from
 * {@link WanSpec#validate}; the rules themselves are shared with the rest of the profile.
 */
public final class WanChecks {

    private final List<Violation> violations;
    private final boolean passwordRequired;
    private final Ipv4.Cidr lanSubnet;
    private final boolean ipv6Enabled;

    WanChecks(List<Violation> violations, boolean passwordRequired, Ipv4.Cidr lanSubnet, boolean ipv6Enabled) {
        this.violations = violations;
        this.passwordRequired = passwordRequired;
        this.lanSubnet = lanSubnet;
        this.ipv6Enabled = ipv6Enabled;
    }

    /** Whether the profile has IPv6 on (the default); a mode's IPv6 settings need it. */
    public boolean ipv6Enabled() {
        return ipv6Enabled;
    }

    /** Parses an IPv6 address (required when called); null with a violation when bad. */
    public java.math.BigInteger ipv6(String field, String text, String example) {
        try {
            return Ipv6.parse(text);
        } catch (IllegalArgumentException e) {
            reject(field, e.getMessage() + " (like " + example + ")");
            return null;
        }
    }

    /** Parses an IPv6 address or prefix with its length; null with a violation when bad. */
    public Ipv6.Cidr ipv6Cidr(String field, String text, String example) {
        try {
            return Ipv6.parseCidr(text);
        } catch (IllegalArgumentException e) {
            reject(field, e.getMessage() + " (like " + example + ")");
            return null;
        }
    }

    /** Whether a missing password is an error (create) or means "keep the stored one" (edit, import). */
    public boolean passwordRequired() {
        return passwordRequired;
    }

    /** The LAN subnet when it is valid, else null: a WAN address must not overlap it. */
    public Ipv4.Cidr lanSubnet() {
        return lanSubnet;
    }

    public void reject(String field, String message) {
        violations.add(new Violation("wan." + field, message));
    }

    public void credential(String field, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                reject(field, "is required for this WAN mode (1–255 printable characters)");
            }
            return;
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > 255) {
            reject(field, "must be at most 255 bytes (pppd's limit)");
        }
        if (!ProfileValidator.isPrintable(value)) {
            reject(field, "must contain only printable characters (no control characters, line breaks or invisible formatting marks)");
        }
    }

    public void optionalText(String field, String value) {
        if (value != null && (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > 255 || !ProfileValidator.isPrintable(value))) {
            reject(field, "must be 1–255 printable characters, or left out");
        }
    }

    public void mtu(String field, Integer mtu) {
        String problem = ProfileValidator.mtuProblem(mtu);
        if (problem != null) {
            reject(field, problem);
        }
    }

    public void range(String field, Integer value, int min, int max, String unit) {
        if (value != null && (value < min || value > max)) {
            reject(field, "must be " + min + "–" + max + " " + unit + " (got " + value + ")");
        }
    }

    /** An IPv4 address or an RFC 1123 host name, required. */
    public void hostOrIpv4(String field, String value) {
        if (value == null || value.isEmpty()) {
            reject(field, "is required: an address or host name, like 203.0.113.1 or lns.isp.example");
            return;
        }
        if (value.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'))) {
            ipv4(field, value, true);
            return;
        }
        String problem = ProfileValidator.hostnameProblem(value);
        if (problem != null) {
            reject(field, "must be an IPv4 address or a host name: " + problem);
        }
    }

    /** Parses an IPv4 address; null (with a violation if required) when absent or bad. */
    public Integer ipv4(String field, String text, boolean required) {
        return ProfileValidator.ipv4(violations, "wan." + field, text, required, "203.0.113.1");
    }

    /** A host address with prefix (a.b.c.d/len, len ≥ minPrefix), required; null when absent or bad. */
    public Ipv4.Cidr hostCidr(String field, String text, int minPrefix, String example) {
        if (text == null || text.isEmpty()) {
            reject(field, "is required: " + example);
            return null;
        }
        try {
            Ipv4.Cidr cidr = Ipv4.parseCidr(text);
            if (cidr.prefix() < minPrefix) {
                reject(field, "needs a prefix length of /" + minPrefix + " or longer");
                return null;
            }
            if (cidr.isNetworkOrBroadcast()) {
                reject(field, "is the subnet's network or broadcast address; use a host address");
                return null;
            }
            return cidr;
        } catch (IllegalArgumentException e) {
            reject(field, e.getMessage());
            return null;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
