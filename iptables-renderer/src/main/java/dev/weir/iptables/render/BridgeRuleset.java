package dev.weir.iptables.render;

import java.util.List;

/**
 * The ebtables part of a ruleset ({@code nat} table, {@link EbtablesScript#TABLE}): layer-2 anti-spoofing for local
 * pods attached to a bridge ({@link BridgeRules}). {@code hooks} jump from the bridge's PREROUTING into
 * {@link Names#BRIDGE}; every chain's policy is {@code RETURN}. Rules are {@link IptablesRule} values without a comment
 * (ebtables has no comment match), spelled as {@code ebtables-save} prints them. Empty when no local pod is known to
 * sit behind a bridge port, and then weir owns nothing in the bridge table.
 */
public record BridgeRuleset(List<Hook> hooks, List<Chain> chains) {

    public static final BridgeRuleset EMPTY = new BridgeRuleset(List.of(), List.of());

    public BridgeRuleset {
        hooks = List.copyOf(hooks);
        chains = List.copyOf(chains);
        for (Chain c : chains) {
            if (c.rules().stream().anyMatch(r -> !r.comment().isEmpty())) {
                throw new IllegalArgumentException("ebtables has no comments; chain " + c.name() + " carries one");
            }
        }
    }

    public boolean isEmpty() {
        return hooks.isEmpty() && chains.isEmpty();
    }
}
