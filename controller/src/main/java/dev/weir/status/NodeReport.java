package dev.weir.status;

import dev.weir.model.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node's agent last said it enforces (a {@code NodePolicyReport}'s status, read by {@link NodeReports}): the
 * policies whose rules are in its kernel and the version of each, the policies it leaves out as invalid, when it last
 * applied, when it last failed and how often in a row, when it last wrote. Times are null where the report has none.
 *
 * @param policyCount how many policies the agent enforces; above {@code policies.size()} the list was cut
 */
public record NodeReport(String node, String agentVersion, Instant heartbeat, Duration heartbeatInterval,
        Instant lastApplied, String rulesetHash, int policyCount, SortedMap<ObjectKey, Applied> policies,
        SortedMap<ObjectKey, Rejected> rejected, Failure lastFailure, int consecutiveFailures) {

    /** One enforced policy: the version applied and since when. */
    public record Applied(String uid, Long generation, Instant since) {
    }

    /** One policy the agent leaves out as invalid, the version it judged and why. */
    public record Rejected(String uid, Long generation, String message) {
    }

    /** A failed sync: the kernel kept the rules of the last successful one. */
    public record Failure(Instant time, String message) {

        public Failure {
            Objects.requireNonNull(message, "message");
        }
    }

    public NodeReport {
        Objects.requireNonNull(node, "node");
        policies = new TreeMap<>(policies == null ? Map.of() : policies);
        rejected = new TreeMap<>(rejected == null ? Map.of() : rejected);
        policyCount = Math.max(policyCount, policies.size());
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures " + consecutiveFailures + " < 0");
        }
    }

    @Override
    public SortedMap<ObjectKey, Applied> policies() {
        return java.util.Collections.unmodifiableSortedMap(policies);
    }

    @Override
    public SortedMap<ObjectKey, Rejected> rejected() {
        return java.util.Collections.unmodifiableSortedMap(rejected);
    }

    /** Whether the node's last syncs failed: it keeps the rules of {@link #lastApplied}. */
    public boolean failing() {
        return consecutiveFailures > 0;
    }

    /** Whether the report names every policy the node enforces (an absent one is then surely absent). */
    public boolean complete() {
        return policies.size() >= policyCount;
    }
}
