package dev.weir.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node as policy sees it: its name, its labels (what a ClusterNetworkPolicy {@code nodes} peer selects on) and the
 * IP addresses of its {@code status.addresses} ({@code InternalIP} and {@code ExternalIP}; host names are no
 * addresses), sorted and distinct. A node without addresses can be selected but matches no packet.
 */
public record Node(String name, Map<String, String> labels, List<IpAddress> addresses) implements ClusterObject {

    public Node {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        addresses = addresses.stream().distinct().sorted().toList();
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.node(name);
    }

    /** Labels in key order, for deterministic output. */
    public Map<String, String> sortedLabels() {
        return new TreeMap<>(labels);
    }

    /** The addresses of one family, in order. */
    public List<IpAddress> addresses(IpFamily family) {
        return addresses.stream().filter(a -> a.family() == family).toList();
    }

    /** The first (lowest) address of a family, if the node has one. */
    public Optional<IpAddress> address(IpFamily family) {
        return addresses.stream().filter(a -> a.family() == family).findFirst();
    }
}
