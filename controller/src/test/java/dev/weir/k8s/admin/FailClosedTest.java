package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.PolicyCompiler;
import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.LabelSelector;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.RuleAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Valid objects with parts weir cannot enforce: the API's "fail closed" (an Accept rule matches nothing, a Deny or
 * Pass rule becomes deny-all), always with a warning naming the field. A rule that matches nothing keeps its place, so
 * the rules after it keep the index they have in the object as written.
 */
class FailClosedTest {

    static Translated<ClusterPolicy> translate(String egressRules) {
        String yaml = """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: fc}
                spec:
                  tier: Admin
                  priority: 3
                  subject: {namespaces: {}}
                  egress:
                """ + egressRules.indent(2);
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(yaml);
        assertThat(all).singleElement().matches(Translated::isAccepted, "accepted");
        return all.get(0);
    }

    @Test
    void anAcceptRuleToDomainNamesMatchesNothingAndKeepsItsPlace() {
        var t = translate("- {name: to-example, action: Accept, to: [{domainNames: [example.com]}]}");
        ClusterPolicy p = t.value().orElseThrow();
        assertThat(p.egress()).containsExactly(ClusterPolicyRule.matchingNothing("to-example", RuleAction.ACCEPT));
        assertThat(p.affects(PolicyType.EGRESS)).as("a rule that matches nothing is no rule").isFalse();
        assertThat(PolicyCompiler.compile(p).egress()).isEmpty();
        assertThat(t.diagnostics()).extracting(Diagnostic::field)
                .containsExactlyInAnyOrder("spec.egress[0]", "spec.egress[0].to[0].domainNames");
    }

    @Test
    void rulesAfterOneThatMatchesNothingKeepTheirIndexAsWritten() {
        var t = translate("""
                - {action: Accept, to: [{domainNames: [example.com]}]}
                - {action: Deny, to: [{namespaces: {}}], protocols: [{destinationNamedPort: Not_A_Port}]}
                - {name: deny-z, action: Deny, to: [{namespaces: {}}]}
                """);
        CompiledPolicy compiled = PolicyCompiler.compile(t.value().orElseThrow());
        assertThat(compiled.egress()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(2);
            assertThat(r.name()).isEqualTo("deny-z");
            assertThat(compiled.describe(r))
                    .isEqualTo("ClusterNetworkPolicy fc egress[2] \"deny-z\" (Admin, priority 3)");
        });
    }

    @Test
    void anAcceptRuleKeepsThePeersWeirCanEnforce() {
        var t = translate("- {action: Accept, to: [{domainNames: [example.com]}, {namespaces: {}}]}");
        assertThat(t.value().orElseThrow().egress()).singleElement()
                .satisfies(r -> assertThat(r.peers())
                        .containsExactly(new ClusterPolicyPeer.Namespaces(LabelSelector.all())));
        assertThat(t.diagnostics()).extracting(Diagnostic::field).containsExactly("spec.egress[0].to[0].domainNames");
    }

    @Test
    void aDenyRuleWithAPeerOfNoKnownFieldDeniesEverything() {
        var t = translate("""
                - name: deny-future
                  action: Deny
                  to: [{}]
                  protocols: [{tcp: {destinationPort: {number: 443}}}]
                """);
        assertThat(t.value().orElseThrow().egress()).containsExactly(ClusterPolicyRule.denyAll("deny-future"));
        assertThat(t.diagnostics()).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("deny all"));
    }

    @Test
    void aPassRuleWithAnUnreadablePeerBecomesDenyAll() {
        var t = translate("- {action: Pass, to: [{namespaces: {}}, {}]}");
        assertThat(t.value().orElseThrow().egress()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(RuleAction.DENY);
            assertThat(r.peers()).containsExactly(new ClusterPolicyPeer.Anywhere());
        });
    }

    @Test
    void aNamedPortNoContainerCanHaveMatchesNothing() {
        var t = translate("""
                - action: Deny
                  to: [{namespaces: {}}]
                  protocols: [{destinationNamedPort: Not_A_Port}, {tcp: {destinationPort: {number: 22}}}]
                - action: Deny
                  to: [{namespaces: {}}]
                  protocols: [{destinationNamedPort: Not_A_Port}]
                """);
        ClusterPolicy p = t.value().orElseThrow();
        assertThat(p.egress()).hasSize(2);
        assertThat(p.egress().get(0).ports()).containsExactly(PortMatch.Range.single(Protocol.TCP, 22));
        assertThat(p.egress().get(1)).isEqualTo(ClusterPolicyRule.matchingNothing("", RuleAction.DENY));
        assertThat(t.diagnostics()).extracting(Diagnostic::field).containsExactlyInAnyOrder(
                "spec.egress[0].protocols[0].destinationNamedPort", "spec.egress[1].protocols[0].destinationNamedPort",
                "spec.egress[1]");
    }

    @Test
    void aPeerFieldFromANewerApiVersionFailsClosedInsteadOfRejectingThePolicy() {
        var t = translate("- {name: deny-sets, action: Deny, to: [{externalNetworkSet: {name: blocked}}]}");
        assertThat(t.value().orElseThrow().egress()).containsExactly(ClusterPolicyRule.denyAll("deny-sets"));
        assertThat(t.diagnostics()).extracting(Diagnostic::field).contains("spec.egress[0].to[0]");
    }
}
