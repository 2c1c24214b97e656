package dev.routerstudio.profile;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The catalogue of optional services a profile can enable; the pipeline implements each. */
public enum ServiceKind {
    DNSMASQ("dnsmasq", "LAN DHCP server and DNS forwarder"),
    NAT("nat", "Masquerade LAN traffic out of the WAN"),
    NTP("ntp", "Keep the clock with OpenNTPD"),
    SSH("ssh", "Dropbear SSH server on the LAN"),
    SYSLOG("syslog", "busybox syslogd to /run/log");

    private final String id;
    private final String description;

    ServiceKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static ServiceKind fromId(String id) {
        for (ServiceKind s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    public static String ids() {
        return Arrays.stream(values()).map(ServiceKind::id).collect(Collectors.joining(", "));
    }
}
