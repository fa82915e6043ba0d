package dev.weir.model.admin;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import java.util.List;

/** Small builders for admin-policy tests. */
final class Fixtures {

    private Fixtures() {
    }

    static ClusterPolicySubject allNamespaces() {
        return new ClusterPolicySubject.Namespaces(LabelSelector.all());
    }

    static ClusterPolicyPeer namespace(String name) {
        return new ClusterPolicyPeer.Namespaces(LabelSelector.matchLabel("kubernetes.io/metadata.name", name));
    }

    static ClusterPolicyPeer networks(String... cidrs) {
        return new ClusterPolicyPeer.Networks(List.of(cidrs).stream().map(Cidr::parse).toList());
    }

    static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }

    static ClusterPolicyRule rule(RuleAction action, ClusterPolicyPeer peer) {
        return new ClusterPolicyRule("", action, List.of(peer), List.of());
    }

    static ClusterPolicy policy(String name, Tier tier, int priority, List<ClusterPolicyRule> ingress,
            List<ClusterPolicyRule> egress) {
        return new ClusterPolicy(name, tier, priority, allNamespaces(), ingress, egress);
    }
}
