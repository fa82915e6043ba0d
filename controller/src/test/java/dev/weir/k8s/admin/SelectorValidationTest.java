package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.model.Diagnostic;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A selector mistake is the same mistake in either policy kind: the ClusterNetworkPolicy is rejected with the
 * diagnostic the NetworkPolicy gets for the same selector, at the corresponding field path, in the same words.
 */
class SelectorValidationTest {

    static Stream<Arguments> invalidSelectors() {
        return Stream.of(
                Arguments.of("label key starting with a dash", "{matchLabels: {\"-app\": web}}", ".matchLabels"),
                Arguments.of("label key with two slashes", "{matchLabels: {\"a/b/c\": web}}", ".matchLabels"),
                Arguments.of("label key prefix in upper case", "{matchLabels: {\"Example.com/app\": web}}",
                        ".matchLabels"),
                Arguments.of("label value with a blank", "{matchLabels: {app: \"web server\"}}",
                        ".matchLabels[app]"),
                Arguments.of("label value of 64 characters", "{matchLabels: {app: " + "v".repeat(64) + "}}",
                        ".matchLabels[app]"),
                Arguments.of("expression key with a blank", "{matchExpressions: [{key: \"my app\", operator: Exists}]}",
                        ".matchExpressions[0].key"),
                Arguments.of("expression value ending in a dot",
                        "{matchExpressions: [{key: app, operator: NotIn, values: [web, \"db.\"]}]}",
                        ".matchExpressions[0].values[1]"),
                Arguments.of("In without values", "{matchExpressions: [{key: app, operator: In}]}",
                        ".matchExpressions[0].values"),
                Arguments.of("Exists with values", "{matchExpressions: [{key: app, operator: Exists, values: [x]}]}",
                        ".matchExpressions[0].values"),
                Arguments.of("unknown operator", "{matchExpressions: [{key: app, operator: Equals, values: [x]}]}",
                        ".matchExpressions[0].operator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSelectors")
    void aClusterNetworkPolicySelectorIsValidatedAsANetworkPolicySelector(String name, String selector,
            String fieldTail) {
        Translated<?> np = ModelTranslator.networkPolicy(Serialization.unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: dev}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{podSelector: %s}]
                """.formatted(selector), io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class));
        List<Translated<dev.weir.model.ClusterPolicy>> cnp = ClusterPolicyManifests.translate("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: bad}
                spec:
                  tier: Admin
                  priority: 1
                  subject: {namespaces: {}}
                  ingress:
                  - {action: Deny, from: [{pods: {podSelector: %s}}]}
                """.formatted(selector));

        assertThat(np.isAccepted()).isFalse();
        assertThat(np.diagnostics()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("NetworkPolicy dev/web: spec.ingress[0].from[0].podSelector" + fieldTail + ": ");
        assertThat(cnp).singleElement().satisfies(t -> {
            assertThat(t.isAccepted()).isFalse();
            assertThat(t.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.field()).isEqualTo("spec.ingress[0].from[0].pods.podSelector" + fieldTail);
                assertThat(d.message()).isEqualTo(np.diagnostics().get(0).message());
                assertThat(d).hasToString("ClusterNetworkPolicy bad: " + d.field() + ": " + d.message());
            });
        });
    }
}
