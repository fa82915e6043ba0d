package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;
import java.util.List;

/**
 * Told on the sync thread after every sync what the node now enforces ({@link #applied}: the ruleset in the kernel,
 * the graph it was rendered from, the policy versions and rejections behind it) or that the sync failed and the kernel
 * kept what it had ({@link #failed}), and before each apply what is on its way in ({@link #applying}). The
 * denied-traffic log reads packets against the applied ruleset (and the one being applied); the node report publishes
 * what it holds. Must return quickly (hand over, never do I/O); what it throws is logged and does not fail the sync.
 */
@FunctionalInterface
public interface AppliedRulesetListener {

    AppliedRulesetListener NONE = applied -> { };

    void applied(AppliedSync applied);

    /** The sync failed with {@code error} (render, apply or drift check); the kernel keeps the last applied rules. */
    default void failed(String error) {
    }

    /**
     * Told just before the sync thread hands {@code ruleset} to the kernel: from that moment the kernel may drop
     * packets by its rules, while {@link #applied} comes only once the whole sync is done (after the revocation of
     * denied flows, which takes a while). A ruleset that fails to apply is announced all the same, and is followed by
     * {@link #failed} instead.
     */
    default void applying(PolicyGraph graph, Ruleset ruleset) {
    }

    /** Tells each of {@code listeners} in turn; one that throws does not keep the others from being told. */
    static AppliedRulesetListener all(List<AppliedRulesetListener> listeners) {
        return new EveryListener(listeners);
    }
}
