package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.WanMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile as the values templates can name ({{style:key}}). Only raw strings go in here;
 * quoting happens in {@link TemplateText} through {@link ScriptQuoting}. The one exception,
 * ppp.options, is assembled from values quoted with ScriptQuoting.pppd.
 */
final class ProfileValues {

    private ProfileValues() {
    }

    static Map<String, String> of(ProfileSpec spec, String uplink) {
        Map<String, String> v = new TreeMap<>();
        put(v, "hostname", spec.hostname());
        put(v, "uplink", uplink);
        put(v, "target", spec.target());
        put(v, "console.device", TargetSpec.load(spec.target()).consoleDevice());
        if (spec.interfaces() != null) {
            if (spec.interfaces().wan() != null) {
                put(v, "wan.device", spec.interfaces().wan().device());
            }
            ProfileSpec.LanInterface lan = spec.interfaces().lan();
            if (lan != null) {
                put(v, "lan.device", lan.device());
                put(v, "lan.address", lan.address());
                if (lan.address() != null) {
                    put(v, "lan.ip", lan.address().replaceAll("/.*", ""));
                }
                if (lan.dhcpRange() != null) {
                    put(v, "lan.dhcp.start", lan.dhcpRange().start());
                    put(v, "lan.dhcp.end", lan.dhcpRange().end());
                }
                // The first three octets with their dot (192.168.1.), for the lab's lease regex.
                String first = lan.dhcpRange() != null && lan.dhcpRange().start() != null ? lan.dhcpRange().start() : v.get("lan.ip");
                if (first != null && first.lastIndexOf('.') > 0) {
                    put(v, "lan.dhcp.prefix", first.substring(0, first.lastIndexOf('.') + 1));
                }
            }
        }
        ProfileSpec.WanSpec wan = spec.wan();
        if (wan != null) {
            put(v, "wan.mode", wan.mode());
            put(v, "wan.service.name", wan.serviceName());
            put(v, "wan.ac.name", wan.acName());
            put(v, "wan.username", wan.username());
            put(v, "wan.password", wan.password());
            put(v, "wan.server", wan.server());
            put(v, "wan.address", wan.address());
            if (wan.address() != null && wan.address().indexOf('/') > 0) {
                put(v, "wan.address.ip", wan.address().substring(0, wan.address().indexOf('/')));
                put(v, "wan.address.prefix", wan.address().substring(wan.address().indexOf('/') + 1));
            }
            put(v, "wan.gateway", wan.gateway());
            if (wan.dns() != null) {
                put(v, "wan.dns", String.join(" ", wan.dns()));
                if (!wan.dns().isEmpty()) {
                    put(v, "wan.dns.first", wan.dns().get(0));
                }
            }
            if (spec.interfaces() != null && spec.interfaces().wan() != null) {
                put(v, "pppoe.nic", "nic-" + spec.interfaces().wan().device());
            }
            if (wan.wanMode() != null && wan.wanMode().usesPpp()) {
                v.put("ppp.options", pppOptions(wan));
            }
        }
        return v;
    }

    /** Optional pppd options, one per line, each value quoted for pppd. */
    static String pppOptions(ProfileSpec.WanSpec wan) {
        List<String> lines = new ArrayList<>();
        if (wan.wanMode() == WanMode.PPPOE) {
            if (wan.serviceName() != null) {
                lines.add("rp_pppoe_service " + ScriptQuoting.pppd(wan.serviceName()));
            }
            if (wan.acName() != null) {
                lines.add("rp_pppoe_ac " + ScriptQuoting.pppd(wan.acName()));
            }
            // Discovery: ask again after 1 s, then 2 s; pppd (persist, holdoff 3) starts over. An
            // access concentrator that comes up after the router is found within seconds.
            lines.add("pppoe-padi-timeout 1");
            lines.add("pppoe-padi-attempts 2");
        }
        if (wan.mtu() != null) {
            lines.add("mtu " + wan.mtu());
        }
        if (wan.mru() != null) {
            lines.add("mru " + wan.mru());
        }
        lines.add("lcp-echo-interval " + (wan.lcpEchoInterval() != null ? wan.lcpEchoInterval() : 10));
        lines.add("lcp-echo-failure " + (wan.lcpEchoFailure() != null ? wan.lcpEchoFailure() : 3));
        return String.join("\n", lines);
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (value != null) {
            v.put(key, value);
        }
    }
}
