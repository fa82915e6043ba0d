package dev.weir.iptables.render;

import java.util.List;
import java.util.Objects;

/**
 * Everything weir wants programmed on one node, as data: the ipsets (both families), the filter-table hooks and
 * chains per family, and the bridge (ebtables) filter table's layer-2 checks. The renderers produce it; the applier
 * makes the kernel match it.
 */
public record Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6, BridgeRuleset bridge) {

    public Ruleset {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(v4, "v4");
        Objects.requireNonNull(v6, "v6");
        Objects.requireNonNull(bridge, "bridge");
        sets = List.copyOf(sets);
    }

    /** A ruleset that owns nothing in the bridge table. */
    public Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6) {
        this(node, sets, v4, v6, BridgeRuleset.EMPTY);
    }

    /** This ruleset with {@code bridge} as its bridge table ({@link BridgeRules#render}). */
    public Ruleset withBridge(BridgeRuleset bridge) {
        return new Ruleset(node, sets, v4, v6, bridge);
    }
}
