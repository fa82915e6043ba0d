package dev.weir.graph;

import dev.weir.model.admin.Tier;

/**
 * Where a compiled policy is evaluated, in declaration order: every Admin-tier ClusterNetworkPolicy before
 * NetworkPolicy, every Baseline-tier one after it. A NetworkPolicy is simply a policy of the middle tier whose rules
 * all allow.
 */
public enum PolicyTier {
    ADMIN("Admin"), NETWORK_POLICY("NetworkPolicy"), BASELINE("Baseline");

    private final String word;

    PolicyTier(String word) {
        this.word = word;
    }

    /** The tier of a ClusterNetworkPolicy's {@code spec.tier}. */
    public static PolicyTier of(Tier tier) {
        return tier == Tier.ADMIN ? ADMIN : BASELINE;
    }

    /** How verdicts and JSON name the tier: the API's {@code Admin} and {@code Baseline}, and {@code NetworkPolicy}. */
    public String word() {
        return word;
    }

    /** The tier named {@code word} exactly ({@link #word()}). */
    public static PolicyTier ofWord(String word) {
        for (PolicyTier t : values()) {
            if (t.word.equals(word)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tier \"" + word + "\" (want Admin, NetworkPolicy or Baseline)");
    }
}
