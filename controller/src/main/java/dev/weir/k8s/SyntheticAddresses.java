package dev.weir.k8s;

import dev.weir.model.Cidr;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives pods that have no {@code status.podIP} (a manifest written by hand usually has none) a deterministic address,
 * so ipBlock rules can be reasoned about: addresses of {@link #POOL} in order of pod key, skipping every address a
 * given pod already has. The same manifests always get the same addresses.
 */
final class SyntheticAddresses {

    static final Cidr POOL = Cidr.parse("10.254.0.0/16");

    private SyntheticAddresses() {
    }

    /** Returns the endpoints with addresses filled in, and one note line per address given. */
    static List<Endpoint> assign(List<Endpoint> endpoints, List<String> notes) {
        Set<IpAddress> taken = new HashSet<>();
        endpoints.forEach(e -> taken.addAll(e.ips()));
        IpAddress next = POOL.network().plus(1);
        List<Endpoint> out = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (Endpoint e : endpoints.stream().sorted(java.util.Comparator.comparing(Endpoint::key)).toList()) {
            if (!e.ips().isEmpty() || e.phase().terminal()) {
                out.add(e);
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
            given.add(e.key() + "=" + next);
            next = next.plus(1);
        }
        if (!given.isEmpty()) {
            notes.add("pods without status.podIP were given addresses from " + POOL + " (assumed, for ipBlock rules): "
                    + String.join(", ", given));
        }
        return out;
    }
}
