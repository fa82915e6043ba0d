package dev.weir.agent;

import dev.weir.graph.GraphDelta;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.Ruleset;

/**
 * Turns the cluster's policy graph and what the agent knows of its node ({@link LocalNetwork}) into what one node must
 * program. Pure; the real one is the iptables renderer.
 */
@FunctionalInterface
public interface RulesetRenderer {

    Ruleset render(PolicyGraph graph, String node, LocalNetwork localNetwork);

    /**
     * What one event changed in the graph the next render reads; told for every event, in order, on the sync thread.
     * A renderer that reuses what it built before (the agent's, through {@code SetMemo}) patches sets from it.
     */
    default void graphChanged(GraphDelta delta) {
    }
}
