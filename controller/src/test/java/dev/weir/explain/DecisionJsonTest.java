package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.weir.graph.Decision;
import dev.weir.graph.Decision.Outcome;
import dev.weir.graph.Decision.RuleRef;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one JSON form of a {@link Decision}: what explain prints per side and a denial record carries. */
class DecisionJsonTest {

    static Stream<Arguments> everyCause() {
        return Stream.of(
                Arguments.of("not isolated", Decision.notIsolated(PolicyType.INGRESS)),
                Arguments.of("NetworkPolicy allow", Decision.allowedByPolicies(PolicyType.EGRESS,
                        List.of(ObjectKey.networkPolicy("prod", "web")))),
                Arguments.of("default deny", Decision.defaultDeny(PolicyType.INGRESS,
                        List.of(ObjectKey.networkPolicy("b", "z"), ObjectKey.networkPolicy("b", "a")))),
                Arguments.of("Admin deny", Decision.clusterPolicyRule(PolicyType.INGRESS, Outcome.DENY,
                        PolicyTier.ADMIN, "guard", new RuleRef(2, "deny-z"))),
                Arguments.of("Baseline pass, unnamed", Decision.clusterPolicyRule(PolicyType.EGRESS, Outcome.PASS,
                        PolicyTier.BASELINE, "tenants", new RuleRef(0, ""))),
                Arguments.of("exempt", Decision.exempt(PolicyType.EGRESS)),
                Arguments.of("spoofed source", Decision.spoofedSource(ObjectKey.pod("x", "a"))),
                Arguments.of("unprogrammed pod", Decision.unprogrammedPod(PolicyType.INGRESS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCause")
    void everyDecisionReadsBackAsItself(String name, Decision d) {
        assertThat(DecisionJson.read(DecisionJson.write(d))).isEqualTo(d);
        assertThat(DecisionJson.fromNode(DecisionJson.toNode(d))).isEqualTo(d);
    }

    @Test
    void aClusterPolicyRuleNamesTierPolicyAndRuleAndTheClusterScopedPolicyHasNoNamespace() {
        Decision d = Decision.clusterPolicyRule(PolicyType.INGRESS, Outcome.DENY, PolicyTier.ADMIN, "guard",
                new RuleRef(2, "deny-z"));
        assertThat(DecisionJson.write(d)).isEqualTo("{\"direction\":\"ingress\",\"outcome\":\"deny\","
                + "\"cause\":\"cluster-policy-rule\",\"tier\":\"Admin\","
                + "\"objects\":[{\"kind\":\"ClusterNetworkPolicy\",\"name\":\"guard\"}],"
                + "\"rule\":{\"index\":2,\"name\":\"deny-z\"}}");
    }

    @Test
    void absentTierAndRuleAreNullAndNamespacedObjectsCarryTheirNamespace() {
        Decision d = Decision.defaultDeny(PolicyType.EGRESS, List.of(ObjectKey.networkPolicy("b", "deny-all")));
        assertThat(DecisionJson.write(d)).isEqualTo("{\"direction\":\"egress\",\"outcome\":\"deny\","
                + "\"cause\":\"default-deny\",\"tier\":\"NetworkPolicy\","
                + "\"objects\":[{\"kind\":\"NetworkPolicy\",\"namespace\":\"b\",\"name\":\"deny-all\"}],"
                + "\"rule\":null}");
        assertThat(DecisionJson.write(Decision.notIsolated(PolicyType.INGRESS))).contains("\"tier\":null")
                .contains("\"objects\":[]").endsWith("\"rule\":null}");
    }

    @Test
    void aMissingTierOrRuleReadsAsAbsent() {
        assertThat(DecisionJson.read("{\"direction\":\"ingress\",\"outcome\":\"allow\",\"cause\":\"not-isolated\","
                + "\"objects\":[]}")).isEqualTo(Decision.notIsolated(PolicyType.INGRESS));
    }

    static Stream<Arguments> malformed() {
        String ok = "\"direction\":\"ingress\",\"outcome\":\"allow\",\"cause\":\"not-isolated\",\"objects\":[]";
        return Stream.of(
                Arguments.of("{" + ok.replace("not-isolated", "because") + "}", "\"because\""),
                Arguments.of("{" + ok.replace("\"ingress\"", "\"sideways\"") + "}", "direction"),
                Arguments.of("{" + ok.replace("\"allow\"", "\"maybe\"") + "}", "\"maybe\""),
                Arguments.of("{" + ok + ",\"tier\":\"Gold\"}", "\"Gold\""),
                Arguments.of("{" + ok.replace("[]", "[{\"kind\":\"Service\",\"name\":\"x\"}]") + "}", "\"Service\""),
                Arguments.of("{" + ok.replace("[]", "[{\"kind\":\"NetworkPolicy\",\"name\":\"x\"}]") + "}",
                        "needs a namespace"),
                Arguments.of("{" + ok + ",\"rule\":{\"index\":0,\"name\":\"r\"}}", "exactly the cluster-policy-rule"),
                Arguments.of("{" + ok.replace(",\"objects\":[]", "") + "}", "\"objects\""),
                Arguments.of("[]", "JSON object"),
                Arguments.of("{", "invalid JSON"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void aMalformedDecisionIsRejectedNamingTheProblem(String json, String problem) {
        assertThatIllegalArgumentException().isThrownBy(() -> DecisionJson.read(json))
                .withMessageContaining(problem);
    }
}
