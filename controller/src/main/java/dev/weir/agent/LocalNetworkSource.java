package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.LocalNetwork;

/**
 * What the sync renders with besides the graph: the node's own network ({@link LocalNetwork}: local pods' interfaces,
 * pod CIDRs, fail-closed). Called on the sync thread before each render; {@code full} on a FULL sync, which looks
 * again at everything. The agent's is {@link LocalNetworkTracker}.
 */
@FunctionalInterface
public interface LocalNetworkSource {

    /** Nothing known about the node: the ruleset of earlier releases. */
    LocalNetworkSource NONE = (graph, node, full) -> LocalNetwork.none();

    LocalNetwork localNetwork(PolicyGraph graph, String node, boolean full);
}
