package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Translated;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.ClusterNetworkPolicySpec;
import dev.weir.crd.EgressPeer;
import dev.weir.crd.EgressRule;
import dev.weir.crd.Subject;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.LabelSelector;
import dev.weir.model.ObjectKey;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Valid objects: what the model holds afterwards. */
class ClusterPolicyTranslatorTest {

    static ClusterPolicy accepted(String yaml) {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(yaml);
        assertThat(all).hasSize(1);
        assertThat(all.get(0)).as("%s", all.get(0).diagnostics())
                .matches(Translated::isAccepted, "accepted");
        assertThat(all.get(0).diagnostics()).as("warnings").isEmpty();
        return all.get(0).value().orElseThrow();
    }

    static String cnp(String spec) {
        return """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata:
                  name: p
                spec:
                """ + spec.indent(2);
    }

    @Test
    void nodesPeersAreTranslatedWithoutWarningsInEveryAction() {
        ClusterPolicy p = accepted(cnp("""
                tier: Admin
                priority: 3
                subject: {namespaces: {}}
                egress:
                - {action: Accept, to: [{nodes: {}}, {namespaces: {}}]}
                - {name: to-infra, action: Pass, to: [{nodes: {matchLabels: {role: infra}}}]}
                - action: Deny
                  to: [{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}]
                  protocols: [{tcp: {destinationPort: {number: 10250}}}]
                """));
        assertThat(p.egress().get(0).peers()).containsExactly(new ClusterPolicyPeer.Nodes(LabelSelector.all()),
                new ClusterPolicyPeer.Namespaces(LabelSelector.all()));
        assertThat(p.egress().get(1).action()).isEqualTo(RuleAction.PASS);
        assertThat(p.egress().get(1).peers()).containsExactly(new ClusterPolicyPeer.Nodes(LabelSelector.matchLabel(
                "role", "infra")));
        assertThat(p.egress().get(2).peers()).singleElement().isInstanceOf(ClusterPolicyPeer.Nodes.class);
        assertThat(p.egress().get(2).ports()).containsExactly(PortMatch.Range.single(Protocol.TCP, 10250));
    }

    @Test
    void translatesEveryFieldOfAValidPolicy() {
        ClusterPolicy p = accepted(cnp("""
                tier: Admin
                priority: 7
                subject:
                  pods:
                    namespaceSelector: {matchLabels: {team: a}}
                    podSelector: {matchLabels: {app: web}}
                ingress:
                - name: deny-b
                  action: Deny
                  from:
                  - namespaces: {matchLabels: {team: b}}
                  - pods:
                      podSelector: {matchExpressions: [{key: role, operator: In, values: [db]}]}
                  protocols:
                  - tcp: {destinationPort: {number: 80}}
                  - udp: {destinationPort: {range: {start: 5000, end: 5100}}}
                  - destinationNamedPort: metrics
                egress:
                - action: Pass
                  to:
                  - networks: [10.0.0.0/8, "fd00::/8"]
                """));
        assertThat(p.name()).isEqualTo("p");
        assertThat(p.tier()).isEqualTo(Tier.ADMIN);
        assertThat(p.priority()).isEqualTo(7);
        assertThat(p.subject()).isEqualTo(new ClusterPolicySubject.Pods(LabelSelector.matchLabel("team", "a"),
                LabelSelector.matchLabel("app", "web")));
        ClusterPolicyRule in = p.ingress().get(0);
        assertThat(in.name()).isEqualTo("deny-b");
        assertThat(in.action()).isEqualTo(RuleAction.DENY);
        assertThat(in.peers()).containsExactly(
                new ClusterPolicyPeer.Namespaces(LabelSelector.matchLabel("team", "b")),
                new ClusterPolicyPeer.Pods(LabelSelector.all(), LabelSelector.matchLabel("role", "db")));
        assertThat(in.ports()).containsExactly(PortMatch.Range.single(Protocol.TCP, 80),
                new PortMatch.Range(Protocol.UDP, 5000, 5100), new PortMatch.Named(Protocol.TCP, "metrics"),
                new PortMatch.Named(Protocol.UDP, "metrics"), new PortMatch.Named(Protocol.SCTP, "metrics"));
        ClusterPolicyRule out = p.egress().get(0);
        assertThat(out.name()).isEmpty();
        assertThat(out.action()).isEqualTo(RuleAction.PASS);
        assertThat(out.peers()).containsExactly(
                new ClusterPolicyPeer.Networks(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"))));
        assertThat(out.allPorts()).isTrue();
    }

    @Test
    void anOmittedNamespaceSelectorInPodsSelectsEveryNamespace() {
        ClusterPolicy p = accepted(cnp("""
                tier: Baseline
                priority: 0
                subject:
                  pods: {podSelector: {}}
                """));
        assertThat(p.subject()).isEqualTo(new ClusterPolicySubject.Pods(LabelSelector.all(), LabelSelector.all()));
        assertThat(p.ingress()).isEmpty();
        assertThat(p.egress()).isEmpty();
    }

    @Test
    void aTransportWithoutDestinationPortMatchesEveryPortOfIt() {
        ClusterPolicy p = accepted(cnp("""
                tier: Admin
                priority: 1
                subject: {namespaces: {}}
                egress:
                - action: Accept
                  to: [{namespaces: {}}]
                  protocols: [{sctp: {}}]
                """));
        assertThat(p.egress().get(0).ports()).containsExactly(new PortMatch.AllPorts(Protocol.SCTP));
    }

    @Test
    void translatesTheJavaObjectAsTheInformerDeliversIt() {
        ClusterNetworkPolicy cnp = new ClusterNetworkPolicy();
        cnp.setMetadata(new ObjectMetaBuilder().withName("from-java").build());
        ClusterNetworkPolicySpec spec = new ClusterNetworkPolicySpec();
        spec.setTier(dev.weir.crd.Tier.BASELINE);
        spec.setPriority(1000);
        Subject subject = new Subject();
        subject.setNamespaces(new io.fabric8.kubernetes.api.model.LabelSelector());
        spec.setSubject(subject);
        EgressPeer peer = new EgressPeer();
        peer.setNetworks(List.of("0.0.0.0/0"));
        EgressRule rule = new EgressRule();
        rule.setAction(dev.weir.crd.RuleAction.DENY);
        rule.setTo(List.of(peer));
        spec.setEgress(List.of(rule));
        cnp.setSpec(spec);

        Translated<ClusterPolicy> t = ClusterPolicyTranslator.translate(cnp);
        assertThat(t).matches(Translated::isAccepted, "accepted");
        ClusterPolicy p = t.value().orElseThrow();
        assertThat(p.tier()).isEqualTo(Tier.BASELINE);
        assertThat(p.egress().get(0).peers()).containsExactly(
                new ClusterPolicyPeer.Networks(List.of(Cidr.parse("0.0.0.0/0"))));
        assertThat(t.object()).isEqualTo(ObjectKey.clusterNetworkPolicy("from-java"));
    }

    @Test
    void aCidrWithHostBitsIsMaskedAndSaidSo() {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(cnp("""
                tier: Admin
                priority: 1
                subject: {namespaces: {}}
                egress:
                - action: Deny
                  to: [{networks: [10.1.2.3/8]}]
                """));
        Translated<ClusterPolicy> a = all.get(0);
        assertThat(a.value().orElseThrow().egress().get(0).peers())
                .containsExactly(new ClusterPolicyPeer.Networks(List.of(Cidr.parse("10.0.0.0/8"))));
        assertThat(a.diagnostics()).extracting(Diagnostic::field).containsExactly("spec.egress[0].to[0].networks[0]");
    }
}
