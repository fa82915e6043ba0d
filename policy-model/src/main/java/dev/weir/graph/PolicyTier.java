package dev.weir.graph;

import dev.weir.model.admin.Tier;

/**
 * Where a compiled policy is evaluated, in declaration order: every Admin-tier ClusterNetworkPolicy before
 * NetworkPolicy, every Baseline-tier one after it. A NetworkPolicy is simply a policy of the middle tier whose rules
 * all allow.
 */
public enum PolicyTier {
    ADMIN, NETWORK_POLICY, BASELINE;

    /** The tier of a ClusterNetworkPolicy's {@code spec.tier}. */
    public static PolicyTier of(Tier tier) {
        return tier == Tier.ADMIN ? ADMIN : BASELINE;
    }
}
