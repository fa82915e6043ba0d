package dev.weir.iptables.render;

import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Objects;

/** The filter-table part of a ruleset for one IP family (iptables or ip6tables). */
public record FamilyRuleset(IpFamily family, List<Hook> hooks, List<Chain> chains) {

    public FamilyRuleset {
        Objects.requireNonNull(family, "family");
        hooks = List.copyOf(hooks);
        chains = List.copyOf(chains);
    }
}
