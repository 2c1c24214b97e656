package dev.routerstudio.lab;

import dev.routerstudio.pipeline.ScriptQuoting;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.WanMode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a profile's lab looks like: the ISP role and its config values (addresses, pools, the
 * profile's PPP secrets), the LAN client's values, and the variables the checks read.
 * Addresses are from the documentation ranges (RFC 5737) and never leave the emulation.
 */
public record LabPlan(WanMode mode, PeerRole ispRole, Map<String, String> ispValues, Map<String, String> lanValues,
                      Map<String, String> checkVariables, List<String> checks) {

    public static final String WORLD_ADDRESS = "198.51.100.80";
    public static final String WORLD_MARKER = "Router Studio world host";
    public static final String ISP_DNS = "203.0.113.53";
    static final String ACCESS_NET = "203.0.113";
    static final String PPPOE_NET = "10.64.0";
    static final String L2TP_NET = "10.65.0";

    public static LabPlan of(ProfileSpec spec) {
        if (spec.wan() == null || spec.wan().wanMode() == null) {
            throw new IllegalArgumentException("the profile has no WAN mode; a lab needs one of " + WanMode.ids());
        }
        WanMode mode = spec.wan().wanMode();
        ProfileSpec.WanSpec wan = spec.wan();
        String wanDevice = spec.interfaces() != null && spec.interfaces().wan() != null && spec.interfaces().wan().device() != null
                ? spec.interfaces().wan().device() : "eth0";
        Map<String, String> isp = new HashMap<>();
        Map<String, String> vars = new HashMap<>();
        isp.put("hostname", "isp");
        isp.put("world.address", WORLD_ADDRESS);
        isp.put("dns", ISP_DNS);
        vars.put("wan.mode", mode.id());
        vars.put("world.address", WORLD_ADDRESS);
        vars.put("world.marker", WORLD_MARKER);
        vars.put("dns", ISP_DNS);
        String wanCheck;
        switch (mode) {
            case PPPOE -> {
                putPpp(isp, wan, PPPOE_NET);
                isp.put("ppp.pool.size", "100");
                isp.put("pppoe.ac", wan.acName() != null ? wan.acName() : "isp");
                isp.put("pppoe.service.option", wan.serviceName() != null ? "-S " + ScriptQuoting.sh(wan.serviceName()) : "");
                vars.put("wan.ifname", "ppp0");
                vars.put("uplink", "wan.link.pppoe");
                vars.put("outputs.address", "address");
                vars.put("peer.address", PPPOE_NET + ".1");
                vars.put("wan.pool.regex", Pattern.quote(PPPOE_NET + ".") + "1[0-9][0-9]");
                vars.put("route.regex", "default (via \\S+ )?dev ppp0");
                vars.put("wan.process", "pppd");
                vars.put("restartable", "true");
                wanCheck = "wan-up-ppp";
            }
            case L2TP -> {
                String server = wan.server();
                if (server == null || !server.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
                    throw new IllegalArgumentException("the lab's L2TP server listens on the address the profile names; '"
                            + server + "' is not an IPv4 address (there is no DNS on the access network)");
                }
                putAccess(isp, server);
                putPpp(isp, wan, L2TP_NET);
                vars.put("wan.ifname", "ppp0");
                vars.put("uplink", "wan.l2tp");
                vars.put("outputs.address", "address");
                vars.put("peer.address", L2TP_NET + ".1");
                vars.put("wan.pool.regex", Pattern.quote(L2TP_NET + ".") + "1[0-9][0-9]");
                vars.put("route.regex", "default (via \\S+ )?dev ppp0");
                vars.put("wan.process", "pppd");
                vars.put("restartable", "true");
                wanCheck = "wan-up-ppp";
            }
            case DHCP -> {
                putAccess(isp, ACCESS_NET + ".1");
                vars.put("wan.ifname", wanDevice);
                vars.put("uplink", "wan.dhcpc");
                vars.put("outputs.address", "ip");
                vars.put("peer.address", ACCESS_NET + ".1");
                vars.put("wan.pool.regex", Pattern.quote(ACCESS_NET + ".") + "1[0-9][0-9]");
                vars.put("route.regex", "default via " + Pattern.quote(ACCESS_NET + ".1") + " dev " + Pattern.quote(wanDevice));
                vars.put("wan.process", "udhcpc");
                vars.put("restartable", "true");
                wanCheck = "wan-up-dhcp";
            }
            case STATIC -> {
                String address = wan.address();
                String gateway = wan.gateway();
                if (address == null || !address.matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}") || gateway == null) {
                    throw new IllegalArgumentException("a static WAN needs address (a.b.c.d/len) and gateway for the lab");
                }
                String prefix = address.substring(address.indexOf('/'));
                isp.put("isp.cidr", gateway + prefix);
                String dns = wan.dns() != null && !wan.dns().isEmpty() ? wan.dns().get(0) : ISP_DNS;
                isp.put("dns", dns);
                vars.put("dns", dns);
                vars.put("wan.ifname", wanDevice);
                vars.put("uplink", "wan.addr");
                vars.put("outputs.address", "address");
                vars.put("peer.address", gateway);
                vars.put("static.address", address.substring(0, address.indexOf('/')));
                vars.put("wan.pool.regex", Pattern.quote(address.substring(0, address.indexOf('/'))));
                vars.put("route.regex", "default via " + Pattern.quote(gateway) + " dev " + Pattern.quote(wanDevice));
                vars.put("wan.process", "none");
                vars.put("restartable", "false");
                wanCheck = "wan-up-static";
            }
            default -> throw new IllegalArgumentException("no lab for WAN mode " + mode.id());
        }
        List<String> services = spec.services() == null ? List.of() : spec.services();
        vars.put("dnsmasq", Boolean.toString(services.contains("dnsmasq")));
        vars.put("nat", Boolean.toString(services.contains("nat")));
        vars.put("lan.regex", lanRegex(spec));
        Map<String, String> lan = new HashMap<>();
        lan.put("hostname", "lan-client");
        List<String> checks = new ArrayList<>(List.of("boot", wanCheck, "routes", "dns", "readiness", "lan-lease", "lan-nat", "restart", "shutdown"));
        return new LabPlan(mode, PeerRole.ispFor(mode), Map.copyOf(isp), Map.copyOf(lan), Map.copyOf(vars), List.copyOf(checks));
    }

    private static void putPpp(Map<String, String> isp, ProfileSpec.WanSpec wan, String net) {
        if (wan.username() == null || wan.password() == null) {
            throw new IllegalArgumentException("a " + wan.mode() + " lab needs the profile's username and password (the ISP checks them)");
        }
        isp.put("username", wan.username());
        isp.put("password", wan.password());
        isp.put("ppp.local", net + ".1");
        isp.put("ppp.pool.start", net + ".100");
        isp.put("ppp.pool.end", net + ".199");
    }

    /** The ISP's own address on the access network, and a DHCP pool in its /24 that avoids it. */
    private static void putAccess(Map<String, String> isp, String address) {
        String net = address.substring(0, address.lastIndexOf('.'));
        int host = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
        boolean low = host >= 100 && host <= 199;
        isp.put("isp.address", address);
        isp.put("isp.cidr", address + "/24");
        isp.put("isp.netmask", "255.255.255.0");
        isp.put("dhcp.start", net + (low ? ".20" : ".100"));
        isp.put("dhcp.end", net + (low ? ".99" : ".199"));
    }

    private static String lanRegex(ProfileSpec spec) {
        ProfileSpec.LanInterface lan = spec.interfaces() == null ? null : spec.interfaces().lan();
        String start = lan != null && lan.dhcpRange() != null ? lan.dhcpRange().start() : null;
        if (start == null || start.lastIndexOf('.') < 0) {
            return "[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+";
        }
        return Pattern.quote(start.substring(0, start.lastIndexOf('.') + 1)) + "[0-9]+";
    }
}
