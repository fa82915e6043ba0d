package dev.weir.graph;

import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What decided one direction of a packet, as data rather than a sentence: the same value {@code weir explain -o json}
 * prints next to each reason and a denial record carries, so the two compare field by field.
 *
 * <ul>
 * <li>{@code direction}, {@code outcome}: which side, and what the deciding rule or default did with the packet
 * there: allow, deny, or pass — a Baseline-tier Pass rule, after which nothing is left but the default, so the packet
 * is allowed ({@link #allows()}). An Admin Pass never decides: what comes after it does;</li>
 * <li>{@code cause}: why — no policy isolates the pod in this direction and no ClusterNetworkPolicy rule decided (the
 * API's default, allow); a NetworkPolicy rule allowed it; the NetworkPolicies isolating it allowed nothing (default
 * deny); a ClusterNetworkPolicy rule decided (Accept, Deny, or a Baseline Pass); the packet is exempt from policy (a
 * pod's traffic to itself, or its own node's traffic to it); the packet came from a pod's interface with an address
 * not its own (anti-spoofing); or from or to a local pod address not programmed yet (fail-closed);</li>
 * <li>{@code tier}: the tier that decided (empty when no policy did);</li>
 * <li>{@code objects}: the objects that decided: the isolating NetworkPolicies of a default deny, the allowing
 * NetworkPolicies, the ClusterNetworkPolicy of a rule, or the pod of an anti-spoofing drop, in key order;</li>
 * <li>{@code rule}: for a ClusterNetworkPolicy decision, the rule's index in the policy's {@code spec.ingress} or
 * {@code spec.egress} as written and its name (may be empty). A NetworkPolicy decision has none: several rules of
 * several policies may allow at once, and the reason text names them.</li>
 * </ul>
 *
 * <p>An Admin-tier Pass that handed the packet on to NetworkPolicy or the Baseline tier is deliberately not a field:
 * the dataplane clears the pass mark when the Admin tier ends, so a record made where the packet is dropped cannot
 * know it, and the two would stop comparing equal. {@code weir explain} keeps it in the reason text
 * ({@link Verdict.Side#passedBy()}).
 */
public record Decision(PolicyType direction, Outcome outcome, Cause cause, Optional<PolicyTier> tier,
        List<ObjectKey> objects, Optional<RuleRef> rule) {

    /** What the deciding rule or default did on this side; only {@link #DENY} drops the packet. */
    public enum Outcome {
        ALLOW, DENY, PASS;

        public String lower() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome whose {@link #lower()} is {@code word}. */
        public static Outcome ofLower(String word) {
            return Arrays.stream(values()).filter(o -> o.lower().equals(word)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown outcome \"" + word
                            + "\" (want allow, deny or pass)"));
        }
    }

    /** Why; the JSON word is {@link #word()}. */
    public enum Cause {
        NOT_ISOLATED("not-isolated"),
        POLICY_RULE("policy-rule"),
        DEFAULT_DENY("default-deny"),
        CLUSTER_POLICY_RULE("cluster-policy-rule"),
        EXEMPT("exempt"),
        SPOOFED_SOURCE("spoofed-source"),
        UNPROGRAMMED_POD("unprogrammed-pod");

        private final String word;

        Cause(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** The cause whose {@link #word()} is {@code word}. */
        public static Cause ofWord(String word) {
            return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown cause \"" + word + "\""));
        }
    }

    /**
     * A ClusterNetworkPolicy rule: its index in the policy's {@code spec.ingress} or {@code spec.egress} as written
     * (the translator keeps every rule in its place, see
     * {@link dev.weir.model.admin.ClusterPolicyRule#matchingNothing}), and its name ("" if none).
     */
    public record RuleRef(int index, String name) {
        public RuleRef {
            Objects.requireNonNull(name, "name");
            if (index < 0) {
                throw new IllegalArgumentException("rule index " + index);
            }
        }

        /** The rule's reference: its index in the source policy and its name. */
        public static RuleRef of(CompiledRule rule) {
            return new RuleRef(rule.index(), rule.name());
        }
    }

    public Decision {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(tier, "tier");
        objects = objects.stream().distinct().sorted().toList();
        Objects.requireNonNull(rule, "rule");
        if (rule.isPresent() != (cause == Cause.CLUSTER_POLICY_RULE)) {
            throw new IllegalArgumentException("a rule is named by exactly the cluster-policy-rule decisions, not "
                    + cause.word() + (rule.isPresent() ? " with " + rule.get() : ""));
        }
        if (outcome == Outcome.PASS && tier.orElse(null) != PolicyTier.BASELINE) {
            throw new IllegalArgumentException("only a Baseline-tier rule decides by passing");
        }
    }

    /** Whether the packet goes on past this side: every outcome but {@link Outcome#DENY}. */
    public boolean allows() {
        return outcome != Outcome.DENY;
    }

    /** No policy isolates the pod in this direction, or none of the cluster policies selecting it decided: allowed. */
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

    /** Allowed before any policy is consulted: a pod's traffic to itself, or its own node's traffic to it. */
    public static Decision exempt(PolicyType direction) {
        return new Decision(direction, Outcome.ALLOW, Cause.EXEMPT, Optional.empty(), List.of(), Optional.empty());
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
