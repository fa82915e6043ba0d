package dev.weir.agent.report;

import dev.weir.graph.EndpointPolicies;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.ObjectKey;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which policies have rules in one node's kernel: those selecting, in either direction, at least one of the node's
 * pods that policy judges (not hostNetwork, with an address, not finished), as {@code IptablesRenderer} gives each such
 * pod a chain that jumps to them. A policy selecting no pod of the node has nothing there, whatever it is. Pure.
 */
public final class EnforcedPolicies {

    private EnforcedPolicies() {
    }

    public static SortedSet<ObjectKey> on(PolicyGraph graph, String node) {
        SortedSet<ObjectKey> out = new TreeSet<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            String key = e.key().namespacedName();
            if (!e.isPolicyEndpoint() || !graph.isJudged(key)) {
                continue;
            }
            EndpointPolicies selecting = graph.policiesFor(key);
            selecting.ingress().forEach(p -> out.add(graph.policy(p).source().key()));
            selecting.egress().forEach(p -> out.add(graph.policy(p).source().key()));
        }
        return out;
    }
}
