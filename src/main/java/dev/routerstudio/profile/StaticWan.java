package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.List;
import java.util.Map;

/** WAN with a fixed address, gateway and DNS servers from the ISP. */
@JsonTypeName("static")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StaticWan(
        @FormField(label = "Address (CIDR)", required = true, placeholder = "203.0.113.2/24", pattern = "\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")
        String address,
        @FormField(label = "Gateway", required = true, placeholder = "203.0.113.1", pattern = "\\d{1,3}(\\.\\d{1,3}){3}") String gateway,
        @FormField(label = "DNS servers", kind = "list", required = true, placeholder = "203.0.113.53 203.0.113.54",
                hint = "Up to three addresses, separated by spaces.") List<String> dns,
        @FormField(label = "IPv6 address (CIDR)", placeholder = "2001:db8:1::2/64", advanced = true,
                hint = "Optional: the WAN's IPv6 address with its prefix length, when the ISP gives one.") String address6,
        @FormField(label = "IPv6 gateway", placeholder = "2001:db8:1::1", advanced = true,
                hint = "Inside the IPv6 address's prefix, or a link-local fe80:: address.") String gateway6,
        @FormField(label = "IPv6 prefix for the LAN", placeholder = "2001:db8:5:100::/56", advanced = true,
                hint = "Optional: the routed prefix (/48–/64) the ISP sends to the IPv6 address; the LAN gets its first /64.") String prefix6)
        implements WanSpec {

    public static final int MAX_DNS = 3;

    /** A static WAN with IPv4 only. */
    public StaticWan(String address, String gateway, List<String> dns) {
        this(address, gateway, dns, null, null, null);
    }

    @Override
    public void validate(WanChecks c) {
        Ipv4.Cidr cidr = c.hostCidr("address", address, 8, "the WAN address with prefix, like 203.0.113.2/24");
        Integer gw = c.ipv4("gateway", gateway, true);
        if (cidr != null && gw != null) {
            if (!cidr.contains(gw)) {
                c.reject("gateway", "must be inside the WAN subnet " + Ipv4.format(cidr.network()) + "/" + cidr.prefix());
            } else if (gw == cidr.address()) {
                c.reject("gateway", "must differ from the WAN address");
            }
        }
        Ipv4.Cidr lan = c.lanSubnet();
        if (cidr != null && lan != null && cidr.overlaps(lan)) {
            c.reject("address", "overlaps the LAN subnet " + Ipv4.format(lan.network()) + "/" + lan.prefix());
        }
        if (dns == null || dns.isEmpty()) {
            c.reject("dns", "needs at least one DNS server address");
        } else if (dns.size() > MAX_DNS) {
            c.reject("dns", "may list at most " + MAX_DNS + " DNS servers");
        } else {
            for (int i = 0; i < dns.size(); i++) {
                c.ipv4("dns[" + i + "]", dns.get(i), true);
            }
        }
        validateIpv6(c);
    }

    private void validateIpv6(WanChecks c) {
        if (address6 == null && gateway6 == null && prefix6 == null) {
            return;
        }
        if (!c.ipv6Enabled()) {
            for (String[] f : new String[][]{{"address6", address6}, {"gateway6", gateway6}, {"prefix6", prefix6}}) {
                if (f[1] != null) {
                    c.reject(f[0], "is an IPv6 setting, but the profile has IPv6 off — turn ipv6.enabled on or leave this out");
                }
            }
            return;
        }
        Ipv6.Cidr wan6 = null;
        if (address6 == null) {
            c.reject("address6", "is required with gateway6 or prefix6: the WAN's IPv6 address with its prefix, like 2001:db8:1::2/64");
        } else {
            wan6 = c.ipv6Cidr("address6", address6, "2001:db8:1::2/64");
            if (wan6 != null && (wan6.prefix() < 16 || wan6.prefix() > 128)) {
                c.reject("address6", "needs a prefix length of /16–/128 (usually /64)");
                wan6 = null;
            } else if (wan6 != null && (Ipv6.isLinkLocal(wan6.address()) || !Ipv6.isUnicast(wan6.address()))) {
                c.reject("address6", "must be a global unicast address (not link-local, multicast, loopback or unspecified)");
                wan6 = null;
            } else if (wan6 != null && wan6.prefix() < 127 && !wan6.hasHostBits()) {
                c.reject("address6", "is the prefix itself; use a host address in it, like " + Ipv6.format(wan6.network().add(java.math.BigInteger.TWO)) + "/" + wan6.prefix());
                wan6 = null;
            }
        }
        if (gateway6 != null) {
            java.math.BigInteger gw = c.ipv6("gateway6", gateway6, "2001:db8:1::1 or fe80::1");
            if (gw != null && !Ipv6.isUnicast(gw)) {
                c.reject("gateway6", "must be a unicast address");
            } else if (gw != null && wan6 != null && !Ipv6.isLinkLocal(gw)) {
                if (!wan6.contains(gw)) {
                    c.reject("gateway6", "must be inside the WAN's IPv6 prefix " + wan6.networkText() + " or a link-local fe80:: address");
                } else if (gw.equals(wan6.address())) {
                    c.reject("gateway6", "must differ from the WAN's IPv6 address");
                }
            }
        }
        if (prefix6 != null) {
            Ipv6.Cidr lan6 = c.ipv6Cidr("prefix6", prefix6, "2001:db8:5:100::/56");
            if (lan6 != null) {
                if (lan6.prefix() < 48 || lan6.prefix() > 64) {
                    c.reject("prefix6", "must be /48–/64: the LAN takes its first /64");
                } else if (lan6.hasHostBits()) {
                    c.reject("prefix6", "has bits set after the prefix length; the prefix is " + lan6.networkText());
                } else if (Ipv6.isLinkLocal(lan6.address()) || !Ipv6.isUnicast(lan6.address())) {
                    c.reject("prefix6", "must be a global unicast prefix");
                } else if (wan6 != null && (lan6.contains(wan6.address()) || wan6.contains(lan6.address()))) {
                    c.reject("prefix6", "overlaps the WAN's IPv6 prefix " + wan6.networkText() + "; the ISP routes a separate prefix to the router");
                }
            }
        }
    }

    @Override
    public StaticWan normalized() {
        return new StaticWan(WanChecks.blankToNull(address), WanChecks.blankToNull(gateway),
                dns == null || dns.isEmpty() ? null : List.copyOf(dns),
                WanChecks.blankToNull(address6), WanChecks.blankToNull(gateway6), WanChecks.blankToNull(prefix6));
    }

    /**
     * The address without its prefix and the prefix alone, as the lab and the addr service need
     * them; for IPv6 the same, plus the LAN's /64 (the first of prefix6, the router as ::1) and
     * prefix6's leading groups (2001:db8:5:100 of 2001:db8:5:100::/56) for the lab's checks.
     */
    @Override
    public Map<String, String> derivedValues() {
        Map<String, String> v = new java.util.HashMap<>();
        if (address != null && address.indexOf('/') >= 0) {
            v.put("wan.address.ip", address.substring(0, address.indexOf('/')));
            v.put("wan.address.prefix", address.substring(address.indexOf('/') + 1));
        }
        if (dns != null && !dns.isEmpty()) {
            v.put("wan.dns.first", dns.get(0));
        }
        if (address6 != null && address6.indexOf('/') >= 0) {
            v.put("wan.address6.ip", address6.substring(0, address6.indexOf('/')));
            v.put("wan.address6.prefix", address6.substring(address6.indexOf('/') + 1));
            v.put("wan.ipv6.lab", "true");
        }
        if (prefix6 != null) {
            try {
                Ipv6.Cidr p = Ipv6.parseCidr(prefix6);
                String net = Ipv6.format(p.network());
                // A /48–/64 network ends in zero groups, so its canonical form ends in "::".
                String lead = net.endsWith("::") ? net.substring(0, net.length() - 2) : net;
                v.put("wan.prefix6.net", lead);
                v.put("wan.prefix6.length", Integer.toString(p.prefix()));
                v.put("lan.address6", net + "1/64");
            } catch (IllegalArgumentException e) {
                // not valid: the validator says so; nothing derived
            }
        }
        return Map.copyOf(v);
    }
}
