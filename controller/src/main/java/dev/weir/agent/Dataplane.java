package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;

/**
 * The kernel side of a node, as the sync loop sees it: make it match a ruleset, or say how it differs. The one seam
 * with effects in the loop; the real one drives {@code dev.weir.iptables.apply.DataplaneApplier} inside the agent's
 * network namespace, tests use a recording fake.
 */
public interface Dataplane {

    /** Makes the kernel match {@code desired} (only weir-owned chains, hooks and sets); throws when it could not. */
    ApplyResult apply(Ruleset desired) throws Exception;

    /** Compares the kernel with {@code desired} without changing anything. */
    DriftReport check(Ruleset desired) throws Exception;

    /**
     * Ends the tracked flows of {@code node}'s pods that {@code graph} denies (called after an apply); returns how many
     * it examined and deleted. A dataplane without connection tracking (or with revocation off) does nothing.
     */
    default Revocation revoke(PolicyGraph graph, String node) throws Exception {
        return Revocation.NONE;
    }

    /** Tracked flows examined and deleted by one {@link #revoke}. */
    record Revocation(int examined, int deleted) {

        public static final Revocation NONE = new Revocation(0, 0);
    }

    /** What an apply did, in one line for the sync log. */
    record ApplyResult(boolean changed, String summary) {
    }

    /** How the kernel differs from what was applied; empty when it does not. */
    record DriftReport(java.util.List<String> differences) {

        public DriftReport {
            differences = java.util.List.copyOf(differences);
        }

        public static DriftReport none() {
            return new DriftReport(java.util.List.of());
        }

        public boolean drifted() {
            return !differences.isEmpty();
        }
    }
}
