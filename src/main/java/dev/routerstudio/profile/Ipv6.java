package dev.routerstudio.profile;

import java.math.BigInteger;

/**
 * IPv6 addresses and prefixes parsed for real (RFC 4291 text forms): up to eight groups of 1–4
 * hex digits, at most one "::", an optional dotted IPv4 tail; no zone (%eth0), no spaces. No
 * name lookups, unlike InetAddress. Formatting is RFC 5952's canonical form.
 */
public final class Ipv6 {

    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private Ipv6() {
    }

    /** An address with its prefix length. */
    public record Cidr(BigInteger address, int prefix) {

        public BigInteger mask() {
            return prefix == 0 ? BigInteger.ZERO : ALL.shiftLeft(128 - prefix).and(ALL);
        }

        public BigInteger network() {
            return address.and(mask());
        }

        public boolean contains(BigInteger other) {
            return other.and(mask()).equals(network());
        }

        /** True when the address has host bits set (2001:db8::1/56 is an address, not a prefix). */
        public boolean hasHostBits() {
            return !address.equals(network());
        }

        public String networkText() {
            return format(network()) + "/" + prefix;
        }
    }

    /** Parses an address; throws IllegalArgumentException with a human reason. */
    public static BigInteger parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("must not carry a zone (%…); the interface is known");
        }
        if (!text.matches("[0-9A-Fa-f:.]+") || text.length() > 45) {
            throw new IllegalArgumentException("must be an IPv6 address like 2001:db8::1 (hex groups separated by colons)");
        }
        int[] groups = new int[8];
        String head = text;
        String tail = "";
        int dc = text.indexOf("::");
        if (dc >= 0) {
            if (text.indexOf("::", dc + 1) >= 0) {
                throw new IllegalArgumentException("may use '::' only once");
            }
            head = text.substring(0, dc);
            tail = text.substring(dc + 2);
        }
        int[] h = groups(head, text);
        int[] t = groups(tail, text);
        int n = h.length + t.length;
        if ((dc < 0 && n != 8) || (dc >= 0 && n > 7)) {
            throw new IllegalArgumentException("must have eight groups, or fewer with '::' standing for the zeros");
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        BigInteger v = BigInteger.ZERO;
        for (int g : groups) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return v;
    }

    private static int[] groups(String part, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] f = part.split(":", -1);
        boolean v4Tail = f[f.length - 1].indexOf('.') >= 0;
        int[] out = new int[f.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < f.length; i++) {
            if (v4Tail && i == f.length - 1) {
                if (!whole.endsWith(f[i])) {
                    throw new IllegalArgumentException("may have a dotted IPv4 part only at the end");
                }
                int v4 = Ipv4.parse(f[i]);
                out[i] = v4 >>> 16;
                out[i + 1] = v4 & 0xffff;
                break;
            }
            if (f[i].isEmpty() || f[i].length() > 4 || f[i].indexOf('.') >= 0) {
                throw new IllegalArgumentException("must be groups of 1–4 hex digits separated by colons, like 2001:db8::1");
            }
            out[i] = Integer.parseInt(f[i], 16);
        }
        return out;
    }

    /** Parses "address/length"; the length 0–128 is required. */
    public static Cidr parseCidr(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("needs a prefix length, like 2001:db8:0:1::2/64");
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
                || (len.length() > 1 && len.charAt(0) == '0') || Integer.parseInt(len) > 128) {
            throw new IllegalArgumentException("must end in a prefix length /0–/128");
        }
        return new Cidr(parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    /** fe80::/10 */
    public static boolean isLinkLocal(BigInteger a) {
        return a.shiftRight(118).intValue() == 0x3fa;
    }

    /** Neither unspecified, loopback, multicast nor an IPv4-mapped address. */
    public static boolean isUnicast(BigInteger a) {
        return a.signum() != 0 && !a.equals(BigInteger.ONE) && a.shiftRight(120).intValue() != 0xff
                && !a.shiftRight(32).equals(BigInteger.valueOf(0xffff));
    }

    /** RFC 5952: lowercase, no leading zeros, the longest run (two or more) of zero groups as "::". */
    public static String format(BigInteger a) {
        int[] g = new int[8];
        for (int i = 7; i >= 0; i--) {
            g[i] = a.and(BigInteger.valueOf(0xffff)).intValue();
            a = a.shiftRight(16);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
