package dev.weir.k8s;

import dev.weir.model.Cidr;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives pods that have no {@code status.podIP} (a manifest written by hand usually has none) a deterministic address,
 * so ipBlock rules can be reasoned about: a hostNetwork pod on a node the manifests give takes that node's host IPs
 * (as the kubelet reports them, so {@code nodes} peers match it); every other pod takes addresses of {@link #POOL} in
 * order of pod key, skipping every address a given pod or node already has. The same manifests always get the same
 * addresses.
 */
final class SyntheticAddresses {

    static final Cidr POOL = Cidr.parse("10.254.0.0/16");
    private static final Comparator<Endpoint> ORDER = Comparator.comparing(e -> e.key().namespacedName());

    private SyntheticAddresses() {
    }

    /** As {@link #assign(List, Map, List)} without nodes. */
    static List<Endpoint> assign(List<Endpoint> endpoints, List<String> notes) {
        return assign(endpoints, Map.of(), notes);
    }

    /**
     * Returns the endpoints with addresses filled in, and one note line per kind of address given. {@code hostIps}
     * holds the host IPs of each node the manifests give, by node name.
     */
    static List<Endpoint> assign(List<Endpoint> endpoints, Map<String, List<IpAddress>> hostIps, List<String> notes) {
        Set<IpAddress> taken = new HashSet<>();
        endpoints.forEach(e -> taken.addAll(e.ips()));
        hostIps.values().forEach(taken::addAll);
        IpAddress next = POOL.network().plus(1);
        List<Endpoint> out = new ArrayList<>();
        List<String> given = new ArrayList<>();
        List<String> ofNodes = new ArrayList<>();
        for (Endpoint e : endpoints.stream().sorted(ORDER).toList()) {
            if (!e.ips().isEmpty() || e.phase().terminal()) {
                out.add(e);
                continue;
            }
            List<IpAddress> host = e.hostNetwork() && e.node() != null ? hostIps.getOrDefault(e.node(), List.of())
                    : List.of();
            if (!host.isEmpty()) {
                out.add(new Endpoint(e.namespace(), e.name(), e.labels(), host, e.node(), true, e.phase(), e.ports()));
                ofNodes.add(e.key().namespacedName() + "="
                        + String.join(",", host.stream().map(Object::toString).toList()));
                continue;
            }
            while (taken.contains(next)) {
                next = next.plus(1);
            }
            if (!POOL.contains(next)) {
                throw new IllegalStateException("more pods without an IP than addresses in " + POOL);
            }
            taken.add(next);
            out.add(new Endpoint(e.namespace(), e.name(), e.labels(), List.of(next), e.node(), e.hostNetwork(),
                    e.phase(), e.ports()));
            given.add(e.key().namespacedName() + "=" + next);
            next = next.plus(1);
        }
        if (!ofNodes.isEmpty()) {
            notes.add("hostNetwork pods without status.podIP were given their node's address (from the Node's "
                    + "status.addresses): " + String.join(", ", ofNodes));
        }
        if (!given.isEmpty()) {
            notes.add("pods without status.podIP were given addresses from " + POOL + " (assumed, for ipBlock rules): "
                    + String.join(", ", given));
        }
        return out;
    }
}
