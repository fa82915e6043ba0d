package dev.weir.status;

import dev.weir.graph.EndpointPolicies;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.ObjectKey;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The {@link Span} of each policy in a compiled graph: the nodes of the pods it selects, in either direction, that
 * policy judges (not hostNetwork, with an address, not finished). The same pods the renderer gives a chain that jumps
 * to the policy, so the same policies an agent lists in its report. Pure.
 */
public final class GraphSpan {

    private GraphSpan() {
    }

    public static Span of(PolicyGraph graph) {
        return Span.of(nodes(graph));
    }

    /** Per policy, the nodes that should enforce it. */
    public static SortedMap<ObjectKey, SortedSet<String>> nodes(PolicyGraph graph) {
        SortedMap<ObjectKey, SortedSet<String>> out = new TreeMap<>();
        for (Map.Entry<String, EndpointPolicies> e : graph.endpointPolicies().entrySet()) {
            Endpoint pod = graph.endpoint(e.getKey());
            if (pod == null || !pod.isPolicyEndpoint() || pod.node() == null) {
                continue;
            }
            Stream.concat(e.getValue().ingress().stream(), e.getValue().egress().stream())
                    .map(p -> graph.policy(p).source().key())
                    .forEach(k -> out.computeIfAbsent(k, x -> new TreeSet<>()).add(pod.node()));
        }
        return out;
    }
}
