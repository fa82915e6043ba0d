package dev.weir.graph;

import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What decided one direction of a packet, as data rather than a sentence: the same value {@code weir explain -o json}
 * prints next to each reason and a denial record carries, so the two compare field by field.
 *
 * <ul>
 * <li>{@code direction}, {@code outcome}: which side, and what became of the packet there;</li>
 * <li>{@code cause}: why — no policy selects the pod in this direction; a NetworkPolicy rule allowed it; the
 * NetworkPolicies isolating it allowed nothing (default deny); a ClusterNetworkPolicy rule decided (Accept, Deny or
 * Pass); the packet came from a pod's interface with an address not its own (anti-spoofing); or from or to a local
 * pod address not programmed yet (fail-closed);</li>
 * <li>{@code tier}: the tier that decided (empty when no policy did);</li>
 * <li>{@code objects}: the objects that decided: the isolating NetworkPolicies of a default deny, the allowing
 * NetworkPolicies, the ClusterNetworkPolicy of a rule, or the pod of an anti-spoofing drop, in key order;</li>
 * <li>{@code rule}: for a ClusterNetworkPolicy decision, the rule's index in its direction's list and its name (may
 * be empty).</li>
 * </ul>
 */
public record Decision(PolicyType direction, Outcome outcome, Cause cause, Optional<PolicyTier> tier,
        List<ObjectKey> objects, Optional<RuleRef> rule) {

    /** What became of the packet on this side. */
    public enum Outcome {
        ALLOW, DENY, PASS;

        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why; the JSON word is {@link #word()}. */
    public enum Cause {
        NOT_ISOLATED("not-isolated"),
        POLICY_RULE("policy-rule"),
        DEFAULT_DENY("default-deny"),
        CLUSTER_POLICY_RULE("cluster-policy-rule"),
        SPOOFED_SOURCE("spoofed-source"),
        UNPROGRAMMED_POD("unprogrammed-pod");

        private final String word;

        Cause(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A ClusterNetworkPolicy rule: its index in the policy's ingress or egress list, and its name ("" if none). */
    public record RuleRef(int index, String name) {
        public RuleRef {
            Objects.requireNonNull(name, "name");
            if (index < 0) {
                throw new IllegalArgumentException("rule index " + index);
            }
        }
    }

    public Decision {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(tier, "tier");
        objects = objects.stream().distinct().sorted().toList();
        Objects.requireNonNull(rule, "rule");
    }

    public static Decision notIsolated(PolicyType direction) {
        return new Decision(direction, Outcome.ALLOW, Cause.NOT_ISOLATED, Optional.empty(), List.of(),
                Optional.empty());
    }

    public static Decision defaultDeny(PolicyType direction, List<ObjectKey> isolatingPolicies) {
        return new Decision(direction, Outcome.DENY, Cause.DEFAULT_DENY, Optional.of(PolicyTier.NETWORK_POLICY),
                isolatingPolicies, Optional.empty());
    }

    public static Decision allowedByPolicies(PolicyType direction, List<ObjectKey> allowingPolicies) {
        return new Decision(direction, Outcome.ALLOW, Cause.POLICY_RULE, Optional.of(PolicyTier.NETWORK_POLICY),
                allowingPolicies, Optional.empty());
    }

    public static Decision clusterPolicyRule(PolicyType direction, Outcome outcome, PolicyTier tier, String policy,
            RuleRef rule) {
        return new Decision(direction, outcome, Cause.CLUSTER_POLICY_RULE, Optional.of(tier),
                List.of(ObjectKey.clusterNetworkPolicy(policy)), Optional.of(rule));
    }

    /** An anti-spoofing drop: {@code pod} sent with an address not its own. Always egress. */
    public static Decision spoofedSource(ObjectKey pod) {
        return new Decision(PolicyType.EGRESS, Outcome.DENY, Cause.SPOOFED_SOURCE, Optional.empty(), List.of(pod),
                Optional.empty());
    }

    /** A fail-closed drop of a local pod address weir has not programmed yet. */
    public static Decision unprogrammedPod(PolicyType direction) {
        return new Decision(direction, Outcome.DENY, Cause.UNPROGRAMMED_POD, Optional.empty(), List.of(),
                Optional.empty());
    }
}
