package dev.weir.graph;

import dev.weir.model.ClusterObject;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A NetworkPolicy or ClusterNetworkPolicy compiled against the graph, in one form (as Antrea's internal policy): its
 * tier and priority, the group of pods it applies to, the directions it affects, and its rules in the order they are
 * tried, each with its action and its peers resolved to shared groups and sets. A NetworkPolicy is of the middle tier
 * with priority 0 and rules that accept. Rules of a ClusterNetworkPolicy that can match nothing are left out (their
 * indexes stay those of the source).
 */
public record CompiledPolicy(String key, ClusterObject source, PolicyTier tier, int priority, GroupSelector appliedTo,
        Set<PolicyType> types, List<CompiledRule> ingress, List<CompiledRule> egress) {

    /** Evaluation order of the policies selecting one pod: tier, priority, then key (weir's tie-break by name). */
    public static final Comparator<CompiledPolicy> ORDER = Comparator.comparing(CompiledPolicy::tier)
            .thenComparingInt(CompiledPolicy::priority)
            .thenComparing(CompiledPolicy::key);

    public CompiledPolicy {
        Objects.requireNonNull(source, "source");
        if (!key.equals(keyOf(source.key()))) {
            throw new IllegalArgumentException("the key of " + source.key() + " is " + keyOf(source.key()));
        }
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(appliedTo, "appliedTo");
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /**
     * How the graph, its deltas and rule comments name a policy: {@code namespace/name} for a NetworkPolicy,
     * {@code ClusterNetworkPolicy/name} for a cluster policy (which no namespace can spell).
     */
    public static String keyOf(ObjectKey source) {
        return source.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY
                ? source.kind().apiKind() + "/" + source.name() : source.namespacedName();
    }

    /**
     * A policy compiled from {@code source}, keyed by {@link #keyOf} its key (held, not derived on each call: the
     * per-endpoint lists compare and list keys on every membership change).
     */
    public CompiledPolicy(ClusterObject source, PolicyTier tier, int priority, GroupSelector appliedTo,
            Set<PolicyType> types, List<CompiledRule> ingress, List<CompiledRule> egress) {
        this(keyOf(source.key()), source, tier, priority, appliedTo, types, ingress, egress);
    }

    /** The source's name (without namespace). */
    public String name() {
        return source.key().name();
    }

    /** Whether this is a ClusterNetworkPolicy (Admin or Baseline tier) rather than a NetworkPolicy. */
    public boolean isClusterPolicy() {
        return tier != PolicyTier.NETWORK_POLICY;
    }

    public List<CompiledRule> rules(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }

    /**
     * Whether the policy affects a direction: a NetworkPolicy's effective policy types; for a ClusterNetworkPolicy,
     * whether it has rules for it (the API: no rules, no effect on that direction).
     */
    public boolean affects(PolicyType type) {
        return types.contains(type);
    }

    /**
     * How verdicts name a cluster policy's rule: {@code ClusterNetworkPolicy x egress[0] (Admin, priority 10)}; a
     * NetworkPolicy's: {@code ns/name ingress[0]}.
     */
    public String describe(CompiledRule rule) {
        if (!isClusterPolicy()) {
            return key() + " " + rule.label();
        }
        return source.key().toString() + " " + rule.label() + " (" + tier.word() + ", priority " + priority + ")";
    }
}
