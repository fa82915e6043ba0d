package dev.weir.agent;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/** fabric8 object builders for agent tests, small and explicit. */
public final class Kube {

    private Kube() {
    }

    /** {@code labels("app", "web", "tier", "fe")}. */
    public static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    public static Namespace namespace(String name, String... labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels(labels)).endMetadata().build();
    }

    public static Pod pod(String ns, String name, String ip, String node, String... labels) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).withLabels(labels(labels)).endMetadata()
                .withNewSpec().withNodeName(node)
                    .addNewContainer().withName("c").withImage("agnhost")
                        .addNewPort().withName("http").withContainerPort(80).withProtocol("TCP").endPort()
                    .endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus()
                .build();
    }

    /** A policy selecting {@code app=<target>} pods, allowing ingress from pods {@code app=<from>} on TCP 80. */
    public static NetworkPolicy allowFrom(String ns, String name, String target, String from) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec()
                    .withPodSelector(new LabelSelectorBuilder().withMatchLabels(labels("app", target)).build())
                    .addNewIngress()
                        .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(
                                new LabelSelectorBuilder().withMatchLabels(labels("app", from)).build()).build())
                        .addNewPort().withProtocol("TCP").withNewPort(80).endPort()
                    .endIngress()
                .endSpec()
                .build();
    }

    /** A policy allowing from every pod of namespaces labelled {@code team=<team>}. */
    public static NetworkPolicy allowFromTeam(String ns, String name, String target, String team) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec()
                    .withPodSelector(new LabelSelectorBuilder().withMatchLabels(labels("app", target)).build())
                    .addNewIngress()
                        .withFrom(new NetworkPolicyPeerBuilder().withNamespaceSelector(
                                new LabelSelectorBuilder().withMatchLabels(labels("team", team)).build()).build())
                    .endIngress()
                .endSpec()
                .build();
    }

    /** A policy the API server would refuse: a CIDR with a /33 prefix. */
    public static NetworkPolicy invalidCidr(String ns, String name) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec()
                    .withNewPodSelector().endPodSelector()
                    .addNewIngress()
                        .addNewFrom().withNewIpBlock().withCidr("10.0.0.0/33").endIpBlock().endFrom()
                    .endIngress()
                .endSpec()
                .build();
    }

    /** An Admin-tier ClusterNetworkPolicy of every namespace denying egress to 169.254.169.254. */
    public static ClusterNetworkPolicy cnp(String name, int priority) {
        return Serialization.unmarshal("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata:
                  name: %s
                spec:
                  tier: Admin
                  priority: %d
                  subject:
                    namespaces: {}
                  egress:
                  - name: deny-metadata
                    action: Deny
                    to:
                    - networks: [169.254.169.254/32]
                """.formatted(name, priority), ClusterNetworkPolicy.class);
    }
}
