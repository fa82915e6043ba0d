package dev.weir.model.admin;

import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a rule's {@code from}/{@code to}; a rule matches a peer when any entry matches. Ingress rules may only
 * hold {@link Namespaces} and {@link Pods} (and the fail-closed {@link Anywhere} and {@link Nowhere}); {@link Nodes}
 * and {@link Networks} are egress-only, as in the API.
 */
public sealed interface ClusterPolicyPeer {

    /** Whether the peer can carry named ports: only pods declare container port names, so only peers of pods. */
    default boolean hasNamedPorts() {
        return this instanceof Namespaces || this instanceof Pods;
    }

    /** Whether the API allows this peer in ingress rules: {@link Nodes} and {@link Networks} are egress-only. */
    default boolean allowedInIngress() {
        return !(this instanceof Nodes || this instanceof Networks);
    }

    /** Every pod (not host-network) of the selected namespaces. */
    record Namespaces(LabelSelector namespaceSelector) implements ClusterPolicyPeer {
        public Namespaces {
            Objects.requireNonNull(namespaceSelector, "namespaceSelector");
        }

        public boolean selects(Map<String, String> namespaceLabels) {
            return namespaceSelector.matches(namespaceLabels);
        }

        @Override
        public String toString() {
            return "namespaces(" + namespaceSelector + ")";
        }
    }

    /** Pods (not host-network) matching the pod selector in namespaces matching the namespace selector. */
    record Pods(LabelSelector namespaceSelector, LabelSelector podSelector) implements ClusterPolicyPeer {
        public Pods {
            Objects.requireNonNull(namespaceSelector, "namespaceSelector (use LabelSelector.all())");
            Objects.requireNonNull(podSelector, "podSelector (use LabelSelector.all())");
        }

        public boolean selects(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
            return namespaceSelector.matches(namespaceLabels) && podSelector.matches(podLabels);
        }

        @Override
        public String toString() {
            return "pods(" + namespaceSelector + " / " + podSelector + ")";
        }
    }

    /**
     * The addresses listed in {@code status.addresses} of nodes whose labels match (egress only; upstream marks it
     * experimental). An empty selector selects every node.
     */
    record Nodes(LabelSelector nodeSelector) implements ClusterPolicyPeer {
        public Nodes {
            Objects.requireNonNull(nodeSelector, "nodeSelector");
        }

        @Override
        public String toString() {
            return "nodes(" + nodeSelector + ")";
        }
    }

    /**
     * CIDRs (egress only), sorted and de-duplicated. Unlike NetworkPolicy's ipBlock they have no excepts, and they
     * match cluster-internal addresses too: {@code 0.0.0.0/0} matches every pod and node.
     */
    record Networks(List<Cidr> cidrs) implements ClusterPolicyPeer {
        /** Upstream's {@code maxItems} for {@code networks}. */
        public static final int MAX_CIDRS = 25;

        public Networks {
            cidrs = cidrs.stream().distinct().sorted().toList();
            if (cidrs.isEmpty()) {
                throw new IllegalArgumentException("networks needs at least one CIDR");
            }
            if (cidrs.size() > MAX_CIDRS) {
                throw new IllegalArgumentException("networks holds " + cidrs.size() + " CIDRs, at most "
                        + MAX_CIDRS + " are allowed");
            }
        }

        public boolean contains(IpAddress address) {
            return cidrs.stream().anyMatch(c -> c.contains(address));
        }

        @Override
        public String toString() {
            return "networks" + cidrs;
        }
    }

    /**
     * Every source or destination, in or out of the cluster. The API has no such peer: it stands for a peer weir
     * cannot read (no known field set, or a kind weir does not enforce) in a Deny or Pass rule, which the API says to
     * "fail closed" as a deny-all rule.
     */
    record Anywhere() implements ClusterPolicyPeer {
        @Override
        public String toString() {
            return "anywhere";
        }
    }

    /**
     * No source or destination at all. The API has no such peer: it stands for the peers of a rule that fails closed to
     * matching no traffic (an Accept rule none of whose peers weir can read, or a rule none of whose protocols can
     * match), which is kept rather than left out so that every later rule keeps the index it has in the object as
     * written: the index verdicts, rule comments and denial records name.
     */
    record Nowhere() implements ClusterPolicyPeer {
        @Override
        public String toString() {
            return "nowhere";
        }
    }
}
