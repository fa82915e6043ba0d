package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code weir.dev/log-rules} on a ClusterNetworkPolicy: which rules' Accept and Pass matches are logged like denials
 * ({@code docs/denials.md}). An entry naming no rule is a warning on the annotation, and is ignored; the policy is
 * enforced all the same.
 */
class LogRulesAnnotationTest {

    /** Admin: ingress[0] "scrape" Accept, [1] "web" Pass, [2] Deny; egress[0] "scrape" Accept, [1] "dns" Pass. */
    private static Translated<ClusterPolicy> translate(String tier, String annotation) {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata:
                  name: p
                  annotations: {weir.dev/log-rules: "%s"}
                spec:
                  tier: %s
                  priority: 3
                  subject: {namespaces: {}}
                  ingress:
                  - {name: scrape, action: Accept, from: [{namespaces: {}}]}
                  - {name: web, action: Pass, from: [{namespaces: {}}]}
                  - {action: Deny, from: [{namespaces: {}}]}
                  egress:
                  - {name: scrape, action: Accept, to: [{namespaces: {}}]}
                  - {name: dns, action: Pass, to: [{networks: [10.96.0.10/32]}]}
                """.formatted(annotation, tier));
        assertThat(all).singleElement().matches(Translated::isAccepted, "accepted");
        return all.get(0);
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "Admin|scrape|ingress[0] egress[0]",
        "Admin|ingress[2], egress[0]|ingress[2] egress[0]",
        "Admin|*|ingress[0] ingress[2] egress[0]",
        "Baseline|*|ingress[0] ingress[1] ingress[2] egress[0] egress[1]",
        "Baseline|dns,web|ingress[1] egress[1]",
        "Baseline| scrape ,, egress[1] |ingress[0] egress[0] egress[1]",
        "Admin||''"})
    void theAnnotationNamesRulesByNameByPositionOrAll(String tier, String annotation, String expected) {
        Translated<ClusterPolicy> t = translate(tier, annotation == null ? "" : annotation);
        assertThat(t.diagnostics()).isEmpty();
        assertThat(String.join(" ", t.value().orElseThrow().loggedRules().stream().map(Object::toString).toList()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "nope|no rule is named \"nope\"; ignored (name a rule, write ingress[i] or egress[i], or * for all)",
        "ingress[3]|\"ingress[3]\" names no rule: spec.ingress has 3 rules; ignored",
        "egress[99999]|no rule is named \"egress[99999]\"; ignored (name a rule, write ingress[i] or egress[i], or * for"
                + " all)",
        "web|ingress[1] is an Admin-tier Pass rule, which decides nothing (what comes after it does), so nothing is"
                + " logged for it"})
    void anEntryNamingNoLoggableRuleIsAWarningOnTheAnnotationAndIgnored(String entry, String message) {
        Translated<ClusterPolicy> t = translate("Admin", entry + ",scrape");
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactly("ClusterNetworkPolicy p: "
                + "metadata.annotations[weir.dev/log-rules]: " + message);
        assertThat(t.value().orElseThrow().loggedRules()).extracting(Object::toString)
                .containsExactly("ingress[0]", "egress[0]");
    }
}
