package dev.weir.graph;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.PolicyType;
import dev.weir.model.admin.Tier;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A ClusterNetworkPolicy compiled against the graph: the group of its subject pods and its rules, in the order they
 * are tried, with peers resolved to shared groups and sets. Rules that can match nothing are left out (their indexes
 * stay those of the source).
 */
public record CompiledClusterPolicy(ClusterPolicy source, GroupSelector subject, List<CompiledClusterRule> ingress,
        List<CompiledClusterRule> egress) {

    /** Evaluation order: tier, priority, then name (weir's tie-break). */
    public static final Comparator<CompiledClusterPolicy> PRECEDENCE =
            Comparator.comparing(CompiledClusterPolicy::source, ClusterPolicy.PRECEDENCE);

    public CompiledClusterPolicy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** The policy's name: cluster policies are cluster-scoped, so the name is the key. */
    public String name() {
        return source.name();
    }

    public Tier tier() {
        return source.tier();
    }

    public int priority() {
        return source.priority();
    }

    public List<CompiledClusterRule> rules(PolicyType direction) {
        return direction == PolicyType.INGRESS ? ingress : egress;
    }

    /** Whether the source has rules for the direction (the API: no rules, no effect on that direction). */
    public boolean affects(PolicyType direction) {
        return source.affects(direction);
    }

    /**
     * A key whose string order is the evaluation order: {@code 0|0010|name} (tier ordinal, zero-padded priority,
     * name). Sorted sets of these keys list policies as they are tried.
     */
    public String orderKey() {
        return orderKey(source);
    }

    static String orderKey(ClusterPolicy p) {
        return String.format(Locale.ROOT, "%d|%04d|%s", p.tier().ordinal(), p.priority(), p.name());
    }

    /** The name inside an {@link #orderKey}. */
    static String nameOf(String orderKey) {
        return orderKey.substring(orderKey.indexOf('|', 2) + 1);
    }

    /** How verdicts name the policy and a rule: {@code ClusterNetworkPolicy x egress[0] (Admin, priority 10)}. */
    public String describe(CompiledClusterRule rule) {
        return ClusterPolicy.KIND + " " + name() + " " + rule.label() + " (" + tier().apiName() + ", priority "
                + priority() + ")";
    }
}
