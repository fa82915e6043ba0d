package dev.weir.lab.spec;

import java.util.Locale;

/** How packets cross between nodes: a VXLAN overlay ({@code flannel.1}) or direct routes over the underlay. */
public enum Backend {
    VXLAN, HOST_GW;

    public static Backend parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "vxlan" -> VXLAN;
            case "host-gw", "hostgw", "host_gw" -> HOST_GW;
            default -> throw new IllegalArgumentException("unknown backend \"" + text + "\" (want vxlan or host-gw)");
        };
    }

    public String lower() {
        return this == VXLAN ? "vxlan" : "host-gw";
    }
}
