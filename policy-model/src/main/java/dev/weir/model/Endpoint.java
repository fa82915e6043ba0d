package dev.weir.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod as policy sees it. {@code ips} holds its pod IPs (one per family on a dual-stack cluster); {@code node} is the
 * node it runs on (null when unscheduled); {@code created} is its {@code metadata.creationTimestamp}, null when unknown
 * (a hand-written manifest). When two live pods claim one address, the newer one holds it (docs/model.md, "One
 * address, one pod").
 */
public record Endpoint(String namespace, String name, Map<String, String> labels, List<IpAddress> ips, String node,
        boolean hostNetwork, PodPhase phase, List<ContainerPort> ports, Instant created) implements ClusterObject {

    public Endpoint {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        labels = Map.copyOf(labels);
        ips = ips.size() < 2 ? List.copyOf(ips) : ips.stream().distinct().sorted().toList(); // one: a List12, half the room
        ports = List.copyOf(ports);
    }

    /** A pod whose creation time is unknown. */
    public Endpoint(String namespace, String name, Map<String, String> labels, List<IpAddress> ips, String node,
            boolean hostNetwork, PodPhase phase, List<ContainerPort> ports) {
        this(namespace, name, labels, ips, node, hostNetwork, phase, ports, null);
    }

    /** The same pod with other addresses. */
    public Endpoint withIps(List<IpAddress> addresses) {
        return new Endpoint(namespace, name, labels, addresses, node, hostNetwork, phase, ports, created);
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.pod(namespace, name);
    }

    /**
     * True when this pod takes part in pod-selector semantics: it can be selected (isolated) by a policy and be a member
     * of a peer set. hostNetwork pods never are (they share the node's address), nor are pods without an IP or in a
     * terminal phase (their IP may already belong to another pod).
     */
    public boolean isPolicyEndpoint() {
        return !hostNetwork && !ips.isEmpty() && !phase.terminal();
    }

    /** The number a named port resolves to on this pod for a protocol, if the pod declares it. */
    public Optional<Integer> resolvePort(String portName, Protocol protocol) {
        for (ContainerPort p : ports) {
            if (portName.equals(p.name()) && p.protocol() == protocol) {
                return Optional.of(p.port());
            }
        }
        return Optional.empty();
    }

    /** This pod's address of a family, if it has one. */
    public Optional<IpAddress> ip(IpFamily family) {
        return ips.stream().filter(a -> a.family() == family).findFirst();
    }
}
