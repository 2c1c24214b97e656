package dev.routerstudio.profile;

/**
 * IPv4 addresses and prefixes parsed for real: four decimal octets 0–255, no leading zeros
 * (which some tools read as octal), no spaces, nothing after.
 */
public final class Ipv4 {

    private Ipv4() {
    }

    /** A parsed address with its prefix length. */
    public record Cidr(int address, int prefix) {

        public int mask() {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        public int network() {
            return address & mask();
        }

        public int broadcast() {
            return network() | ~mask();
        }

        public boolean contains(int other) {
            return (other & mask()) == network();
        }

        public boolean overlaps(Cidr other) {
            int shorter = Math.min(prefix, other.prefix);
            int m = shorter == 0 ? 0 : -1 << (32 - shorter);
            return (address & m) == (other.address & m);
        }

        /** True when the address is the subnet's network or broadcast address (for prefixes below /31). */
        public boolean isNetworkOrBroadcast() {
            return prefix < 31 && (address == network() || address == broadcast());
        }
    }

    /** Parses "a.b.c.d"; throws IllegalArgumentException with a human reason. */
    public static int parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("must be four numbers separated by dots, like 192.168.1.1");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("must be four numbers 0–255 separated by dots, like 192.168.1.1");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw new IllegalArgumentException("must not have leading zeros in '" + part + "' (they read as octal to some tools)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("has " + octet + ", but each number must be 0–255");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** Parses "a.b.c.d/p"; throws IllegalArgumentException with a human reason. */
    public static Cidr parseCidr(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("needs a prefix length, like 192.168.1.1/24");
        }
        int address = parse(text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        if (prefixText.isEmpty() || prefixText.length() > 2 || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("has a prefix length that is not a number 0–32");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > 32) {
            throw new IllegalArgumentException("has prefix length " + prefix + ", but it must be 0–32");
        }
        return new Cidr(address, prefix);
    }

    public static String format(int address) {
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "." + (address & 255);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
