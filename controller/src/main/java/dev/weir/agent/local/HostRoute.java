package dev.weir.agent.local;

import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A route of the node's main table to exactly one address ({@code /32} or {@code /128}) straight out of one device,
 * with no gateway: how Calico, canal and the ptp plugin reach a local pod ({@code 10.244.1.5 dev cali12ab scope link}).
 */
public record HostRoute(IpAddress destination, String device) {

    public HostRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(device, "device");
    }

    /**
     * The host routes in {@code ip -o route show} (or {@code ip -o -6 route show}) output. Every other line is left
     * out: routes to networks, typed routes ({@code blackhole}, {@code local}, {@code unreachable} ...), routes
     * through a gateway ({@code via}) and multipath routes, none of which names the one device a pod sits behind.
     */
    public static List<HostRoute> parseAll(String ipRouteOutput) {
        List<HostRoute> out = new ArrayList<>();
        for (String line : ipRouteOutput.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 3) {
                continue;
            }
            IpAddress destination = hostAddress(words[0]);
            if (destination == null) {
                continue;
            }
            String device = null;
            boolean direct = true;
            for (int i = 1; i < words.length; i++) {
                switch (words[i]) {
                    case "dev" -> device = i + 1 < words.length ? words[i + 1] : null;
                    case "via", "nexthop", "nhid" -> direct = false;
                    default -> {
                    }
                }
            }
            if (direct && device != null) {
                out.add(new HostRoute(destination, device));
            }
        }
        return out;
    }

    /** The address of a route's destination word when it is one host ({@code ip} prints those without a length). */
    private static IpAddress hostAddress(String word) {
        int slash = word.indexOf('/');
        String address = slash < 0 ? word : word.substring(0, slash);
        if (!IpAddress.isValid(address)) {
            return null;
        }
        IpAddress a = IpAddress.parse(address);
        if (slash >= 0 && !word.substring(slash + 1).equals(Integer.toString(a.family().bits()))) {
            return null;
        }
        return a;
    }

    @Override
    public String toString() {
        return destination + " dev " + device;
    }
}
