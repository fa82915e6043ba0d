package dev.weir.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The Java types read the upstream v1alpha2 YAML shape field for field. */
class ClusterNetworkPolicySerializationTest {

    static final String YAML = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata:
              name: sample
            spec:
              tier: Admin
              priority: 15
              subject:
                pods:
                  namespaceSelector:
                    matchLabels: {team: a}
                  podSelector: {}
              ingress:
              - name: deny-from-b-web
                action: Deny
                from:
                - namespaces:
                    matchLabels: {team: b}
                protocols:
                - tcp:
                    destinationPort:
                      number: 80
                - udp:
                    destinationPort:
                      range: {start: 5000, end: 5100}
                - destinationNamedPort: metrics
              egress:
              - action: Pass
                to:
                - networks: [10.0.0.0/8, "fd00::/8"]
                - nodes:
                    matchExpressions:
                    - {key: node-role.kubernetes.io/control-plane, operator: Exists}
            status:
              conditions:
              - type: Ready
                status: "True"
                reason: Applied
                message: ok
                lastTransitionTime: "2026-11-28T00:00:00Z"
            """;

    @Test
    void readsEveryFieldOfTheUpstreamShape() {
        ClusterNetworkPolicy cnp = Serialization.unmarshal(YAML, ClusterNetworkPolicy.class);
        ClusterNetworkPolicySpec spec = cnp.getSpec();
        assertThat(spec.getTier()).isEqualTo(Tier.ADMIN);
        assertThat(spec.getPriority()).isEqualTo(15);
        assertThat(spec.getSubject().getPods().getNamespaceSelector().getMatchLabels()).containsEntry("team", "a");
        IngressRule in = spec.getIngress().get(0);
        assertThat(in.getName()).isEqualTo("deny-from-b-web");
        assertThat(in.getAction()).isEqualTo(RuleAction.DENY);
        assertThat(in.getFrom().get(0).getNamespaces().getMatchLabels()).containsEntry("team", "b");
        assertThat(in.getProtocols().get(0).getTcp().getDestinationPort().getNumber()).isEqualTo(80);
        assertThat(in.getProtocols().get(1).getUdp().getDestinationPort().getRange().getEnd()).isEqualTo(5100);
        assertThat(in.getProtocols().get(2).getDestinationNamedPort()).isEqualTo("metrics");
        EgressRule out = spec.getEgress().get(0);
        assertThat(out.getAction()).isEqualTo(RuleAction.PASS);
        assertThat(out.getTo().get(0).getNetworks()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(out.getTo().get(1).getNodes().getMatchExpressions().get(0).getOperator()).isEqualTo("Exists");
        assertThat(cnp.getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Applied"));
    }

    @Test
    void readsTheExperimentalChannelsPeersThatTheGeneratedCrdLeavesOut() {
        // a cluster may have upstream's experimental CRD installed: its objects must still be read whole
        EgressPeer nodes = Serialization.unmarshal("nodes: {matchLabels: {role: gw}}", EgressPeer.class);
        EgressPeer domains = Serialization.unmarshal("domainNames: [\"*.example.com\"]", EgressPeer.class);

        assertThat(nodes.getNodes().getMatchLabels()).containsEntry("role", "gw");
        assertThat(domains.getDomainNames()).containsExactly("*.example.com");
    }

    @Test
    void writesEnumsAndOmitsUnsetFieldsAsTheApiSpellsThem() {
        ClusterNetworkPolicy cnp = Serialization.unmarshal(YAML, ClusterNetworkPolicy.class);
        String yaml = Serialization.asYaml(cnp);
        assertThat(yaml).contains("tier: \"Admin\"", "action: \"Deny\"", "action: \"Pass\"")
                .doesNotContain("null", "domainNames");
        assertThat(Serialization.unmarshal(yaml, ClusterNetworkPolicy.class).getSpec().getEgress().get(0).getTo())
                .hasSize(2);
    }
}
