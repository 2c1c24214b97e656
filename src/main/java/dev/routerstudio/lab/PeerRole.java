package dev.routerstudio.lab;

import dev.routerstudio.profile.WanMode;

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

    public static PeerRole ispFor(WanMode mode) {
        return switch (mode) {
            case PPPOE -> ISP_PPPOE;
            case DHCP -> ISP_DHCP;
            case L2TP -> ISP_L2TP;
            case STATIC -> ISP_STATIC;
        };
    }
}
