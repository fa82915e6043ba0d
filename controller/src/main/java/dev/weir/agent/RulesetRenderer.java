package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;

/** Turns the cluster's policy graph into what one node must program. Pure; the real one is the iptables renderer. */
@FunctionalInterface
public interface RulesetRenderer {

    Ruleset render(PolicyGraph graph, String node);
}
