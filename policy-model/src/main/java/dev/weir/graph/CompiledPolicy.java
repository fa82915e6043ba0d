package dev.weir.graph;

import dev.weir.model.NetworkPolicy;
import dev.weir.model.PolicyType;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A NetworkPolicy compiled against the graph: the group it applies to, its effective policy types, and its rules with
 * peers resolved to shared groups and sets.
 */
public record CompiledPolicy(NetworkPolicy source, GroupSelector appliedTo, Set<PolicyType> types,
        List<CompiledRule> ingress, List<CompiledRule> egress) {

    public CompiledPolicy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(appliedTo, "appliedTo");
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** {@code namespace/name} of the source policy. */
    public String key() {
        return source.key().namespacedName();
    }

    public List<CompiledRule> rules(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }

    public boolean affects(PolicyType type) {
        return types.contains(type);
    }
}
