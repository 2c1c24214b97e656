package dev.routerstudio.pipeline;

import dev.routerstudio.profile.FirewallSettings;
import dev.routerstudio.profile.Ipv4;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.ServiceCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the firewall's ruleset template (image-pipeline/services/firewall/studio_fw.nft) and its
 * lab keys name. The pipeline assembles these itself from numbers and re-formatted addresses
 * (never profile text as given), so they are {{raw:}} values: port lists "22, 53" for nft sets,
 * the DNAT rules, and space-separated lists for the lab's checks.
 */
final class FirewallValues {

    private FirewallValues() {
    }

    static Map<String, String> of(ProfileSpec spec) {
        Map<String, String> v = new LinkedHashMap<>();
        FirewallSettings fw = spec.settings() == null ? null : spec.settings().firewall();
        List<String> open = fw == null || fw.openOnWan() == null ? List.of() : fw.openOnWan();
        TreeSet<Integer> lanTcp = new TreeSet<>();
        TreeSet<Integer> lanUdp = new TreeSet<>();
        TreeSet<Integer> wanTcp = new TreeSet<>();
        TreeSet<Integer> wanUdp = new TreeSet<>();
        for (String id : spec.services() == null ? List.<String>of() : spec.services()) {
            ServiceCatalog.Service s = ServiceCatalog.byId(id);
            if (s == null) {
                throw new PipelineException("service '" + id + "' is not one of " + ServiceCatalog.optionalIds());
            }
            for (ServiceCatalog.Port p : s.ports()) {
                boolean tcp = p.protocol().equals("tcp");
                if (p.zone().equals("lan")) {
                    (tcp ? lanTcp : lanUdp).add(p.port());
                }
                // A service's own WAN ports, and its LAN ports when the profile opens it on the WAN.
                if (p.zone().equals("wan") || open.contains(id)) {
                    (tcp ? wanTcp : wanUdp).add(p.port());
                }
            }
        }
        set(v, "firewall.set.lan.tcp", lanTcp);
        set(v, "firewall.set.lan.udp", lanUdp);
        set(v, "firewall.set.wan.tcp", wanTcp);
        set(v, "firewall.set.wan.udp", wanUdp);
        v.put("firewall.wan.tcp", wanTcp.stream().map(String::valueOf).collect(Collectors.joining(" ")));

        StringBuilder dnat = new StringBuilder();
        List<Integer> forwardTcp = new ArrayList<>();
        FirewallSettings.PortForward lab = null;
        for (FirewallSettings.PortForward f : fw == null || fw.portForwards() == null ? List.<FirewallSettings.PortForward>of() : fw.portForwards()) {
            String proto = switch (f.proto()) {
                case "tcp", "udp" -> f.proto();
                default -> throw new PipelineException("settings.firewall.portForwards: protocol '" + f.proto() + "' is not tcp or udp");
            };
            String address;
            try {
                address = Ipv4.format(Ipv4.parse(f.lanAddress()));
            } catch (IllegalArgumentException e) {
                throw new PipelineException("settings.firewall.portForwards: " + e.getMessage());
            }
            int wanPort = port(f.wanPort());
            int lanPort = port(f.lanPort());
            dnat.append("\t\tiifname @wan_ifs meta nfproto ipv4 ").append(proto).append(" dport ").append(wanPort)
                    .append(" dnat ip to ").append(address).append(':').append(lanPort).append('\n');
            if (proto.equals("tcp")) {
                forwardTcp.add(wanPort);
                if (lab == null) {
                    lab = new FirewallSettings.PortForward(proto, wanPort, address, lanPort);
                }
            }
        }
        if (dnat.length() > 0) {
            v.put("firewall.dnat", dnat.toString());
        }
        v.put("firewall.forward.tcp", forwardTcp.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        // The lab's port-forward check tries the first TCP forward (a busybox httpd on the LAN client).
        v.put("firewall.lab.forward", Boolean.toString(lab != null));
        v.put("firewall.lab.wanPort", lab == null ? "0" : lab.wanPort().toString());
        v.put("firewall.lab.lanAddress", lab == null ? "" : lab.lanAddress());
        v.put("firewall.lab.lanPort", lab == null ? "80" : lab.lanPort().toString());
        return v;
    }

    private static void set(Map<String, String> v, String key, TreeSet<Integer> ports) {
        if (!ports.isEmpty()) {
            v.put(key, ports.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
    }

    private static int port(Integer p) {
        if (p == null || p < 1 || p > 65535) {
            throw new PipelineException("settings.firewall.portForwards: port " + p + " is not 1-65535");
        }
        return p;
    }
}
