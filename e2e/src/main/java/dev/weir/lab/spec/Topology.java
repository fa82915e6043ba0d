package dev.weir.lab.spec;

import java.util.Locale;

/** How pods are wired to their node: flannel's {@code cni0} bridge, or canal's routed per-pod veths. */
public enum Topology {
    FLANNEL, CANAL;

    public static Topology parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown topology \"" + text + "\" (want flannel or canal)");
        }
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
