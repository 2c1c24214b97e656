package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.WanSpec;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile as the values templates can name ({{style:key}}). Only raw strings go in here;
 * quoting happens in {@link TemplateText} through {@link ScriptQuoting}. Every setting of the
 * WAN mode's record is "wan.NAME" (lists joined by spaces), so a new mode's templates can name
 * its settings without code here.
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
            ProfileSpec.WanInterface wanIf = spec.interfaces().wan();
            if (wanIf != null && wanIf.device() != null) {
                // With a VLAN tag the WAN runs on the tagged sub-interface; the parent only carries it.
                String device = wanIf.vlan() == null ? wanIf.device() : wanIf.device() + "." + wanIf.vlan();
                put(v, "wan.parent", wanIf.device());
                put(v, "wan.device", device);
                put(v, "pppoe.nic", "nic-" + device);
                put(v, "wan.mtu.link", wanIf.mtu() == null ? null : wanIf.mtu().toString());
                put(v, "wan.vlan", wanIf.vlan() == null ? null : wanIf.vlan().toString());
                // What /proc/net/vlan/DEVICE says of a tagged WAN: the lab's link check looks for it.
                put(v, "wan.vlan.expect", wanIf.vlan() == null ? null : "VID: " + wanIf.vlan());
            }
            ProfileSpec.LanInterface lan = spec.interfaces().lan();
            if (lan != null) {
                put(v, "lan.device", lan.device());
                put(v, "lan.address", lan.address());
                put(v, "lan.mtu", lan.mtu() == null ? null : lan.mtu().toString());
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
        WanSpec wan = spec.wan();
        if (wan != null) {
            put(v, "wan.mode", wan.mode());
            for (RecordComponent rc : wan.getClass().getRecordComponents()) {
                Object value;
                try {
                    value = rc.getAccessor().invoke(wan);
                } catch (ReflectiveOperationException e) {
                    throw new PipelineException("cannot read WAN setting " + rc.getName() + ": " + e.getMessage());
                }
                put(v, "wan." + rc.getName(), value == null ? null
                        : value instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList()) : value.toString());
            }
            v.putAll(wan.derivedValues());
        }
        if (spec.ipv6Enabled()) {
            // {{?ipv6}} lines (pppd's +ipv6, dnsmasq's RAs) and the IA_PD request: "2" (IAID 2, any
            // length) or "2/::/56" (a hint for the length the profile asks for).
            put(v, "ipv6", "true");
            Integer length = spec.ipv6() == null ? null : spec.ipv6().prefixLength();
            put(v, "ipv6.pd.request", length == null ? "2" : "2/::/" + length);
        }
        if (spec.settings() != null && spec.settings().ssh() != null && spec.settings().ssh().authorizedKeys() != null) {
            // One key a line: each is checked to be a single line here, so the joined text is the
            // one {{raw:}} value the pipeline assembles itself (authorized_keys has no quoting).
            StringBuilder keys = new StringBuilder();
            for (String key : spec.settings().ssh().authorizedKeys()) {
                try {
                    keys.append(ScriptQuoting.line(key)).append('\n');
                } catch (IllegalArgumentException e) {
                    throw new PipelineException("settings.ssh.authorizedKeys: " + e.getMessage());
                }
            }
            put(v, "ssh.authorizedKeys", keys.toString());
        }
        boolean sshOnWan = spec.settings() != null && spec.settings().firewall() != null
                && spec.settings().firewall().openOnWan() != null && spec.settings().firewall().openOnWan().contains("ssh");
        // dropbear listens on the LAN address only, unless the profile opens ssh on the WAN too.
        put(v, "ssh.listen", sshOnWan ? "22" : v.get("lan.ip") == null ? null : v.get("lan.ip") + ":22");
        if (spec.hasService("firewall")) {
            v.putAll(FirewallValues.of(spec));
        }
        return v;
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (value != null) {
            v.put(key, value);
        }
    }
}
