package dev.weir.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code networking.k8s.io/v1} NetworkPolicy. {@code declaredPolicyTypes} is exactly what the object said (empty when
 * omitted); {@link #policyTypes()} applies the API's defaulting.
 */
public record NetworkPolicy(String namespace, String name, LabelSelector podSelector,
        List<PolicyType> declaredPolicyTypes, List<Rule> ingress, List<Rule> egress) implements ClusterObject {

    public NetworkPolicy {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(podSelector, "podSelector");
        declaredPolicyTypes = declaredPolicyTypes.stream().distinct().sorted().toList();
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /**
     * The effective policy types. When none were declared the API defaults to Ingress always, plus Egress when the
     * policy has at least one egress rule (an empty {@code egress: []} does not count).
     */
    public Set<PolicyType> policyTypes() {
        if (!declaredPolicyTypes.isEmpty()) {
            return EnumSet.copyOf(declaredPolicyTypes);
        }
        return egress.isEmpty() ? EnumSet.of(PolicyType.INGRESS) : EnumSet.of(PolicyType.INGRESS, PolicyType.EGRESS);
    }

    public boolean affects(PolicyType type) {
        return policyTypes().contains(type);
    }

    /** The rules for one direction. */
    public List<Rule> rules(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.networkPolicy(namespace, name);
    }
}
