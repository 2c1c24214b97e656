package dev.routerstudio.profile;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The ways a router's WAN can connect. The id is what the API and the pipeline use. */
public enum WanMode {
    DHCP("dhcp", "DHCP"),
    PPPOE("pppoe", "PPPoE"),
    L2TP("l2tp", "L2TP"),
    STATIC("static", "Static address");

    private final String id;
    private final String label;

    WanMode(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** Modes that authenticate with a username and password over PPP. */
    public boolean usesPpp() {
        return this == PPPOE || this == L2TP;
    }

    public static WanMode fromId(String id) {
        for (WanMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    public static String ids() {
        return Arrays.stream(values()).map(WanMode::id).collect(Collectors.joining(", "));
    }
}
