package dev.weir.lab.spec;

import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Locale;

/**
 * Which IP families a lab's pods and nodes have: IPv4 only (the default), IPv6 only, or both (dual-stack, IPv4
 * primary as in a cluster whose first service and pod CIDRs are IPv4).
 */
public enum IpStack {
    IPV4(List.of(IpFamily.V4)), IPV6(List.of(IpFamily.V6)), DUAL(List.of(IpFamily.V4, IpFamily.V6));

    private final List<IpFamily> families;

    IpStack(List<IpFamily> families) {
        this.families = families;
    }

    public static IpStack parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "ipv4", "v4", "4" -> IPV4;
            case "ipv6", "v6", "6" -> IPV6;
            case "dual", "dual-stack", "dualstack" -> DUAL;
            default -> throw new IllegalArgumentException("unknown IP family \"" + text
                    + "\" (want ipv4, ipv6 or dual)");
        };
    }

    /** The families, primary first: the order of a pod's {@code status.podIPs}. */
    public List<IpFamily> families() {
        return families;
    }

    public boolean has(IpFamily family) {
        return families.contains(family);
    }

    public IpFamily primary() {
        return families.get(0);
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code IPv4} or {@code IPv6}, as the lab prints a family. */
    public static String label(IpFamily family) {
        return family == IpFamily.V4 ? "IPv4" : "IPv6";
    }
}
