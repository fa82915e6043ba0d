package dev.weir.iptables.render;

import java.util.List;
import java.util.Objects;

/**
 * Everything weir wants programmed on one node, as data: the ipsets (both families) and the filter-table hooks and
 * chains per family. The renderer produces it; the applier makes the kernel match it.
 */
public record Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6) {

    public Ruleset {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(v4, "v4");
        Objects.requireNonNull(v6, "v6");
        sets = List.copyOf(sets);
    }
}
