package dev.weir.agent;

import java.util.List;

/**
 * Told on the sync thread after every sync what the node now enforces ({@link #applied}: the ruleset in the kernel,
 * the graph it was rendered from, the policy versions and rejections behind it) or that the sync failed and the kernel
 * kept what it had ({@link #failed}). The denied-traffic log reads packets against the applied ruleset; the node report
 * publishes what it holds. Must return quickly (hand over, never do I/O); what it throws is logged and does not fail
 * the sync.
 */
@FunctionalInterface
public interface AppliedRulesetListener {

    AppliedRulesetListener NONE = applied -> { };

    void applied(AppliedSync applied);

    /** The sync failed with {@code error} (render, apply or drift check); the kernel keeps the last applied rules. */
    default void failed(String error) {
    }

    /** Tells each of {@code listeners} in turn; one that throws does not keep the others from being told. */
    static AppliedRulesetListener all(List<AppliedRulesetListener> listeners) {
        return new EveryListener(listeners);
    }
}
