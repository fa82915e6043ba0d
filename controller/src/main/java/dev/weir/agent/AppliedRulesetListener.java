package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;

/**
 * Told on the sync thread after every successful sync what the node now enforces: the ruleset in the kernel and the
 * graph it was rendered from (both immutable, and the same instances while nothing changes). The denied-traffic log
 * reads packets against them. Must return quickly; what it throws is logged and does not fail the sync.
 */
@FunctionalInterface
public interface AppliedRulesetListener {

    AppliedRulesetListener NONE = (graph, ruleset) -> { };

    void applied(PolicyGraph graph, Ruleset ruleset);
}
