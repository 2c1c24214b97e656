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
                hint = "Up to three addresses, separated by spaces.") List<String> dns) implements WanSpec {

    public static final int MAX_DNS = 3;

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
    }

    @Override
    public StaticWan normalized() {
        return new StaticWan(WanChecks.blankToNull(address), WanChecks.blankToNull(gateway),
                dns == null || dns.isEmpty() ? null : List.copyOf(dns));
    }

    /** The address without its prefix and the prefix alone, as the lab and the addr service need them. */
    @Override
    public Map<String, String> derivedValues() {
        if (address == null || address.indexOf('/') < 0) {
            return dns == null || dns.isEmpty() ? Map.of() : Map.of("wan.dns.first", dns.get(0));
        }
        Map<String, String> v = new java.util.HashMap<>();
        v.put("wan.address.ip", address.substring(0, address.indexOf('/')));
        v.put("wan.address.prefix", address.substring(address.indexOf('/') + 1));
        if (dns != null && !dns.isEmpty()) {
            v.put("wan.dns.first", dns.get(0));
        }
        return Map.copyOf(v);
    }
}
