package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The firewall service (its own nft table, image-pipeline/services/firewall): the port forwards
 * from the WAN to LAN hosts, and the enabled services the WAN may reach (e.g. ssh). Everything
 * else arriving from the WAN is dropped unless it answers a connection from inside.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"portForwards", "openOnWan"})
public record FirewallSettings(List<PortForward> portForwards, List<String> openOnWan) {

    public static final int MAX_FORWARDS = 32;
    public static final List<String> PROTOCOLS = List.of("tcp", "udp");

    /** A WAN port whose connections go to a LAN host's port. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"proto", "wanPort", "lanAddress", "lanPort"})
    public record PortForward(String proto, Integer wanPort, String lanAddress, Integer lanPort) {
    }

    /** The rules; lanSubnet is the profile's LAN (null when it is itself invalid: address checks wait for it). */
    void validate(ProfileSpec spec, Ipv4.Cidr lanSubnet, BiConsumer<String, String> reject) {
        String base = "settings.firewall";
        Map<String, String> opened = new HashMap<>();
        if (openOnWan != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < openOnWan.size(); i++) {
                String id = openOnWan.get(i);
                String field = base + ".openOnWan[" + i + "]";
                ServiceCatalog.Service s = id == null ? null : ServiceCatalog.byId(id);
                if (s == null || !s.openable()) {
                    reject.accept(field, "'" + clip(id) + "' is not a service that can be opened on the WAN — use one of "
                            + String.join(", ", ServiceCatalog.openable().stream().map(ServiceCatalog.Service::id).toList()));
                } else if (!spec.hasService(id)) {
                    reject.accept(field, "opens " + id + " on the WAN, but the profile does not enable it — add \"" + id
                            + "\" to services or leave it closed");
                } else if (!seen.add(id)) {
                    reject.accept(field, "'" + id + "' is listed twice");
                } else {
                    for (ServiceCatalog.Port p : s.ports()) {
                        opened.put(p.protocol() + "/" + p.port(), id);
                    }
                }
            }
        }
        if (portForwards == null) {
            return;
        }
        if (portForwards.size() > MAX_FORWARDS) {
            reject.accept(base + ".portForwards", "may list at most " + MAX_FORWARDS + " port forwards (got " + portForwards.size() + ")");
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < portForwards.size(); i++) {
            PortForward f = portForwards.get(i);
            String field = base + ".portForwards[" + i + "]";
            if (f == null) {
                reject.accept(field, "must be an object with proto, wanPort, lanAddress and lanPort");
                continue;
            }
            boolean protoOk = f.proto() != null && PROTOCOLS.contains(f.proto());
            if (!protoOk) {
                reject.accept(field + ".proto", "must be tcp or udp (got '" + clip(f.proto()) + "')");
            }
            boolean wanOk = port(field + ".wanPort", f.wanPort(), "the port the ISP side connects to, e.g. 8080", reject);
            port(field + ".lanPort", f.lanPort(), "the port on the LAN host, e.g. 80", reject);
            address(field + ".lanAddress", f.lanAddress(), lanSubnet, reject);
            if (protoOk && wanOk) {
                String key = f.proto() + "/" + f.wanPort();
                Integer earlier = seen.putIfAbsent(key, i);
                if (earlier != null) {
                    reject.accept(field + ".wanPort", f.proto() + " port " + f.wanPort() + " is already forwarded by port forward "
                            + (earlier + 1) + " — each WAN port can go to one LAN host only");
                } else if (opened.containsKey(key)) {
                    reject.accept(field + ".wanPort", f.proto() + " port " + f.wanPort() + " is the router's own " + opened.get(key)
                            + ", opened on the WAN — pick another WAN port or do not open " + opened.get(key));
                }
            }
        }
    }

    private static boolean port(String field, Integer port, String what, BiConsumer<String, String> reject) {
        if (port == null) {
            reject.accept(field, "is required: " + what);
            return false;
        }
        if (port < 1 || port > 65535) {
            reject.accept(field, "must be a port from 1 to 65535 (got " + port + ")");
            return false;
        }
        return true;
    }

    private static void address(String field, String text, Ipv4.Cidr lan, BiConsumer<String, String> reject) {
        List<Violation> problems = new ArrayList<>();
        Integer a = ProfileValidator.ipv4(problems, field, text, true, "192.168.1.50");
        problems.forEach(v -> reject.accept(v.field(), v.message()));
        if (a == null || lan == null) {
            return;
        }
        String subnet = Ipv4.format(lan.network()) + "/" + lan.prefix();
        if (!lan.contains(a) || a == lan.network() || a == lan.broadcast()) {
            reject.accept(field, "must be a host address inside the LAN subnet " + subnet + " (got " + text + ")");
        } else if (a == lan.address()) {
            reject.accept(field, "is the router's own LAN address; forward to a LAN host, or open the router's service on the WAN instead");
        }
    }

    FirewallSettings normalized() {
        List<PortForward> forwards = portForwards == null || portForwards.isEmpty() ? null : portForwards.stream()
                .map(f -> f == null ? null : new PortForward(f.proto(), f.wanPort(),
                        f.lanAddress() == null ? null : f.lanAddress().trim(), f.lanPort()))
                .toList();
        List<String> open = openOnWan == null || openOnWan.isEmpty() ? null
                : openOnWan.stream().sorted(java.util.Comparator.comparingInt(ServiceCatalog::order)).toList();
        return new FirewallSettings(forwards, open);
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String p = s.codePoints().map(cp -> ProfileValidator.isPrintable(new String(Character.toChars(cp))) ? cp : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return p.length() > 40 ? p.substring(0, 40) + "…" : p;
    }
}
