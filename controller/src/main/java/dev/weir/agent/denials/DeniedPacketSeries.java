package dev.weir.agent.denials;

import dev.weir.graph.Decision;
import dev.weir.model.ObjectKey;
import dev.weir.model.ObjectKey.Kind;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The series of {@code weir_denied_packets_total{namespace,policy,direction}} and their bound ({@code docs/denials.md},
 * "Metrics"):
 * <ul>
 * <li>{@code namespace}: of the pod the decision protects — the policy's own namespace for a NetworkPolicy decision,
 * the spoofing pod's for an anti-spoofing drop, else the pod holding the destination (ingress) or source (egress)
 * address; empty when no pod holds it (fail-closed drops);</li>
 * <li>{@code policy}: the NetworkPolicies of the decision as {@code ns/name}, comma-separated in key order (a default
 * deny names every policy isolating the pod: none of them alone decided, and picking one would misname the others);
 * {@code ClusterNetworkPolicy/<name>}; or the cause ({@code spoofed-source}, {@code unprogrammed-pod}) when no policy
 * decided.</li>
 * </ul>
 * Only packets a deny decision dropped are counted (a ClusterNetworkPolicy rule whose Accept or Pass matches are logged
 * records its packets too, but they are no denials). A series exists only for a policy label of a deny decision in the
 * ruleset applied last: each new ruleset removes the series of decisions it no longer has (a deleted policy's, a
 * default deny whose set of isolating policies changed).
 * Should more than {@link #MAX_SERIES} exist anyway (ClusterNetworkPolicy decisions in very many namespaces), further
 * ones are counted under {@code namespace=""}, {@code policy="_other"}.
 */
final class DeniedPacketSeries {

    static final int MAX_SERIES = 2000;
    static final String OTHER = "_other";

    private final Counter counter;
    private final Set<List<String>> live = ConcurrentHashMap.newKeySet();

    DeniedPacketSeries(Counter counter) {
        this.counter = counter;
    }

    /** Counts the packets of a record (usually one packet, as the reader sees it). */
    void count(DenialRecord packets) {
        String direction = packets.decision().direction().apiName().toLowerCase(Locale.ROOT);
        List<String> labels = List.of(namespace(packets), policy(packets.decision()), direction);
        if (!live.contains(labels) && live.size() >= MAX_SERIES) {
            labels = List.of("", OTHER, direction);
        }
        live.add(labels);
        counter.labelValues(labels.toArray(String[]::new)).inc(packets.count());
    }

    /** Removes the series of every policy label the new ruleset's decisions do not have. */
    void retain(Collection<Decision> decisions) {
        Set<String> policies = new HashSet<>();
        for (Decision d : decisions) {
            if (!d.allows()) {
                policies.add(policy(d));
            }
        }
        policies.add(OTHER);
        for (List<String> labels : List.copyOf(live)) {
            if (!policies.contains(labels.get(1))) {
                live.remove(labels);
                counter.remove(labels.toArray(String[]::new));
            }
        }
    }

    int size() {
        return live.size();
    }

    static String namespace(DenialRecord r) {
        for (ObjectKey k : r.decision().objects()) {
            if (k.namespace() != null) {
                return k.namespace();
            }
        }
        return r.protectedEnd().pod().map(ObjectKey::namespace).orElse("");
    }

    static String policy(Decision d) {
        String policies = d.objects().stream()
                .filter(k -> k.kind() == Kind.NETWORK_POLICY || k.kind() == Kind.CLUSTER_NETWORK_POLICY)
                .map(k -> k.kind() == Kind.NETWORK_POLICY ? k.namespacedName() : k.kind().apiKind() + "/" + k.name())
                .collect(Collectors.joining(","));
        return policies.isEmpty() ? d.cause().word() : policies;
    }
}
