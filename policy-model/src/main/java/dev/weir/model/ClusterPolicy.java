package dev.weir.model;

import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.PositionedRule;
import dev.weir.model.admin.RuleIndex;
import dev.weir.model.admin.RulePosition;
import dev.weir.model.admin.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy, validated: what the translator makes of a valid
 * object. Rules keep the order they were written in, which is their precedence within the policy, and their index
 * there: a rule that fails closed to matching nothing stays in place ({@link ClusterPolicyRule#matchingNothing}).
 * {@code loggedRules} are the rules whose Accept and Pass matches are logged like denials (the
 * {@code weir.dev/log-rules} annotation, {@code docs/denials.md}); it changes no verdict, and Deny rules are logged
 * whether or not they are listed.
 */
public record ClusterPolicy(String name, Tier tier, int priority, ClusterPolicySubject subject,
        List<ClusterPolicyRule> ingress, List<ClusterPolicyRule> egress, SortedSet<RuleIndex> loggedRules)
        implements ClusterObject {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 1000;
    /** Upstream's {@code maxItems} of {@code ingress} and of {@code egress}. */
    public static final int MAX_RULES = 25;

    public ClusterPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(subject, "subject");
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        loggedRules = Collections.unmodifiableSortedSet(new TreeSet<>(loggedRules));
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a ClusterNetworkPolicy needs a name");
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " out of range " + MIN_PRIORITY + "-"
                    + MAX_PRIORITY);
        }
        if (ingress.size() > MAX_RULES || egress.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " rules per direction are allowed (ingress "
                    + ingress.size() + ", egress " + egress.size() + ")");
        }
        for (int i = 0; i < ingress.size(); i++) {
            for (ClusterPolicyPeer p : ingress.get(i).peers()) {
                if (!p.allowedInIngress()) {
                    throw new IllegalArgumentException("ingress rule " + ingress.get(i).label(i) + ": a " + p
                            + " peer is allowed in egress rules only");
                }
            }
        }
        for (RuleIndex logged : loggedRules) {
            if (logged.index() >= (logged.direction() == PolicyType.INGRESS ? ingress : egress).size()) {
                throw new IllegalArgumentException("logged rule " + logged + " does not exist");
            }
        }
    }

    /** A policy none of whose Accept or Pass rules is logged. */
    public ClusterPolicy(String name, Tier tier, int priority, ClusterPolicySubject subject,
            List<ClusterPolicyRule> ingress, List<ClusterPolicyRule> egress) {
        this(name, tier, priority, subject, ingress, egress, new TreeSet<>());
    }

    /** This policy with {@code rules} as its logged rules. */
    public ClusterPolicy withLoggedRules(Set<RuleIndex> rules) {
        return new ClusterPolicy(name, tier, priority, subject, ingress, egress, new TreeSet<>(rules));
    }

    /** Whether the rule at {@code index} of {@code direction} is one whose Accept and Pass matches are logged. */
    public boolean logs(PolicyType direction, int index) {
        return loggedRules.contains(new RuleIndex(direction, index));
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.clusterNetworkPolicy(name);
    }

    public List<ClusterPolicyRule> rules(PolicyType direction) {
        return direction == PolicyType.INGRESS ? ingress : egress;
    }

    /**
     * The API: "CNPs with no ingress rules do not affect ingress traffic" (and likewise egress). A rule that can match
     * nothing ({@link ClusterPolicyRule#matchesNothing}) counts as none: it is only kept for the indexes after it.
     */
    public boolean affects(PolicyType direction) {
        return rules(direction).stream().anyMatch(r -> !r.matchesNothing());
    }

    /** This policy's rules of one direction, each with its position in the cluster-wide evaluation order. */
    public List<PositionedRule> positionedRules(PolicyType direction) {
        List<ClusterPolicyRule> rules = rules(direction);
        List<PositionedRule> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            out.add(new PositionedRule(new RulePosition(tier, priority, name, direction, i), subject, rules.get(i)));
        }
        return out;
    }

    /** Every rule of one direction of {@code policies}, in evaluation order: the list a compiler walks. */
    public static List<PositionedRule> evaluationOrder(Collection<ClusterPolicy> policies, PolicyType direction) {
        return policies.stream().flatMap(p -> p.positionedRules(direction).stream()).sorted().toList();
    }
}
