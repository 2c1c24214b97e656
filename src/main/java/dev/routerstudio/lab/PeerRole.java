package dev.routerstudio.lab;

/** What a peer machine is for; each role is one folder under qemu-runner/peers/. */
public enum PeerRole {
    ISP_PPPOE("isp-pppoe"),
    ISP_DHCP("isp-dhcp"),
    ISP_L2TP("isp-l2tp"),
    ISP_STATIC("isp-static"),
    LAN_CLIENT("lan-client");

    private final String folder;

    PeerRole(String folder) {
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }

    public static PeerRole ispFor(String mode) {
        return valueOf("ISP_" + mode.toUpperCase(java.util.Locale.ROOT));
    }
}
