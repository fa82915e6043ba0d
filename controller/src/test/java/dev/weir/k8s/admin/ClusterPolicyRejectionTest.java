package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Objects that break the API's validation are left out whole, with a diagnostic naming the object and the field, as
 * {@code kubectl apply} would have named it.
 */
class ClusterPolicyRejectionTest {

    static final String OK_SUBJECT = "subject: {namespaces: {}}\n";

    static String cnp(String apiVersion, String spec) {
        return "apiVersion: " + apiVersion + "\nkind: ClusterNetworkPolicy\nmetadata:\n  name: bad\nspec:\n"
                + spec.indent(2);
    }

    static Arguments reject(String name, String spec, String field, String message) {
        return Arguments.of(name, "policy.networking.k8s.io/v1alpha2", spec, field, message);
    }

    static String egress(String rule) {
        return "tier: Admin\npriority: 1\n" + OK_SUBJECT + "egress:\n" + rule.indent(0);
    }

    static String ingress(String rule) {
        return "tier: Admin\npriority: 1\n" + OK_SUBJECT + "ingress:\n" + rule.indent(0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                reject("priority above 1000", "tier: Admin\npriority: 1001\n" + OK_SUBJECT, "spec.priority",
                        "between 0 and 1000"),
                reject("negative priority", "tier: Admin\npriority: -1\n" + OK_SUBJECT, "spec.priority",
                        "between 0 and 1000"),
                reject("priority missing", "tier: Admin\n" + OK_SUBJECT, "spec.priority", "Required"),
                reject("tier missing", "priority: 1\n" + OK_SUBJECT, "spec.tier", "Required"),
                reject("tier misspelt", "tier: admin\npriority: 1\n" + OK_SUBJECT, "spec.tier", "admin"),
                reject("subject missing", "tier: Admin\npriority: 1\n", "spec.subject", "Required"),
                reject("subject with both fields",
                        "tier: Admin\npriority: 1\nsubject: {namespaces: {}, pods: {podSelector: {}}}\n",
                        "spec.subject", "exactly one"),
                reject("subject pods without podSelector", "tier: Admin\npriority: 1\nsubject: {pods: {}}\n",
                        "spec.subject.pods.podSelector", "Required"),
                reject("unknown selector operator",
                        "tier: Admin\npriority: 1\nsubject: {namespaces: {matchExpressions: "
                                + "[{key: a, operator: Equals, values: [b]}]}}\n",
                        "spec.subject.namespaces.matchExpressions[0].operator", "Equals"),
                reject("In without values",
                        "tier: Admin\npriority: 1\nsubject: {namespaces: {matchExpressions: "
                                + "[{key: a, operator: In}]}}\n",
                        "spec.subject.namespaces.matchExpressions[0].values", "must be specified"),
                reject("invalid label key in a subject's matchLabels",
                        "tier: Admin\npriority: 1\nsubject: {namespaces: {matchLabels: {\"-team\": a}}}\n",
                        "spec.subject.namespaces.matchLabels", "label key \"-team\""),
                reject("invalid label value in a subject's podSelector",
                        "tier: Admin\npriority: 1\nsubject: {pods: {podSelector: "
                                + "{matchLabels: {app: \"web server\"}}}}\n",
                        "spec.subject.pods.podSelector.matchLabels[app]", "label value \"web server\""),
                reject("invalid label key in a peer's matchExpressions",
                        egress("- {action: Deny, to: [{pods: {namespaceSelector: {matchExpressions: "
                                + "[{key: \"a/b/c\", operator: Exists}]}, podSelector: {}}}]}"),
                        "spec.egress[0].to[0].pods.namespaceSelector.matchExpressions[0].key", "label key \"a/b/c\""),
                reject("invalid label value in a peer's matchExpressions",
                        ingress("- {action: Deny, from: [{namespaces: {matchExpressions: "
                                + "[{key: team, operator: In, values: [a, \"-b\"]}]}}]}"),
                        "spec.ingress[0].from[0].namespaces.matchExpressions[0].values[1]", "label value \"-b\""),
                reject("invalid label value in a nodes peer",
                        egress("- {action: Deny, to: [{nodes: {matchLabels: {zone: \"" + "z".repeat(64) + "\"}}}]}"),
                        "spec.egress[0].to[0].nodes.matchLabels[zone]", "at most 63 characters"),
                reject("rule without action", ingress("- from: [{namespaces: {}}]"), "spec.ingress[0].action",
                        "Required"),
                reject("action misspelt", ingress("- {action: Allow, from: [{namespaces: {}}]}"),
                        "spec.ingress[0].action", "Allow"),
                reject("rule without from", ingress("- action: Deny"), "spec.ingress[0].from", "at least one"),
                reject("rule with empty to", egress("- {action: Deny, to: []}"), "spec.egress[0].to",
                        "at least one"),
                reject("rule name of 101 characters",
                        ingress("- {name: " + "n".repeat(101) + ", action: Deny, from: [{namespaces: {}}]}"),
                        "spec.ingress[0].name", "100"),
                reject("26 egress rules", egress("- {action: Deny, to: [{namespaces: {}}]}\n".repeat(26)),
                        "spec.egress", "at most 25"),
                reject("peer with two fields", egress("- {action: Deny, to: [{namespaces: {}, nodes: {}}]}"),
                        "spec.egress[0].to[0]", "exactly one"),
                reject("not a CIDR", egress("- {action: Deny, to: [{networks: [10.0.0.300/8]}]}"),
                        "spec.egress[0].to[0].networks[0]", "invalid CIDR"),
                reject("address without prefix", egress("- {action: Deny, to: [{networks: [10.0.0.1]}]}"),
                        "spec.egress[0].to[0].networks[0]", "CIDR notation"),
                reject("empty networks", egress("- {action: Deny, to: [{networks: []}]}"),
                        "spec.egress[0].to[0].networks", "1 to 25"),
                reject("empty protocols",
                        egress("- {action: Deny, to: [{namespaces: {}}], protocols: []}"),
                        "spec.egress[0].protocols", "at least 1"),
                reject("protocol entry with two fields",
                        egress("- {action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {}, udp: {}}]}"),
                        "spec.egress[0].protocols[0]", "exactly one"),
                reject("port 0", egress("- {action: Deny, to: [{namespaces: {}}], "
                        + "protocols: [{tcp: {destinationPort: {number: 0}}}]}"),
                        "spec.egress[0].protocols[0].tcp.destinationPort.number", "out of range"),
                reject("port with number and range", egress("- {action: Deny, to: [{namespaces: {}}], "
                        + "protocols: [{udp: {destinationPort: {number: 80, range: {start: 1, end: 2}}}}]}"),
                        "spec.egress[0].protocols[0].udp.destinationPort", "exactly one"),
                reject("range with start equal to end", egress("- {action: Deny, to: [{namespaces: {}}], "
                        + "protocols: [{tcp: {destinationPort: {range: {start: 80, end: 80}}}}]}"),
                        "spec.egress[0].protocols[0].tcp.destinationPort.range", "less than end"),
                reject("named port towards networks", egress("- {action: Accept, to: [{networks: [10.0.0.0/8]}], "
                        + "protocols: [{destinationNamedPort: http}]}"),
                        "spec.egress[0]", "no named ports"),
                Arguments.of("an API version weir does not read", "policy.networking.k8s.io/v1alpha1",
                        "tier: Admin\npriority: 1\n" + OK_SUBJECT, "apiVersion", "v1alpha2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invalidObjectsAreRejectedWithTheFieldNamed(String name, String apiVersion, String spec, String field,
            String message) {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(cnp(apiVersion, spec));
        assertThat(all).singleElement().matches(t -> !t.isAccepted(), "rejected");
        Translated<ClusterPolicy> t = all.get(0);
        assertThat(t.object()).isEqualTo(ObjectKey.clusterNetworkPolicy("bad"));
        assertThat(t.diagnostics()).as("diagnostics").anySatisfy(d -> {
            assertThat(d.subject()).isEqualTo(t.object().toString());
            assertThat(d.field()).isEqualTo(field);
            assertThat(d.message()).contains(message);
        });
        assertThat(t.diagnostics()).extracting(Diagnostic::toString)
                .allSatisfy(s -> assertThat(s).startsWith("ClusterNetworkPolicy bad"));
    }

    @Test
    void anObjectWithoutSpecOrNameIsRejectedAndStillNamedInMessages() {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(
                "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {}\n");
        assertThat(all).singleElement().matches(t -> !t.isAccepted(), "rejected");
        assertThat(all.get(0).diagnostics()).extracting(Diagnostic::field)
                .containsExactlyInAnyOrder("metadata.name", "spec");
        assertThat(all.get(0).object().name()).isEqualTo("<unnamed>");
    }

    @Test
    void everyErrorOfAnObjectIsReportedNotJustTheFirst() {
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(cnp("policy.networking.k8s.io/v1alpha2",
                "tier: Admin\npriority: 5000\nsubject: {}\negress:\n- {action: Deny, to: [{networks: [nope]}]}\n"));
        assertThat(all.get(0).diagnostics()).extracting(Diagnostic::field)
                .containsExactlyInAnyOrder("spec.priority", "spec.subject", "spec.egress[0].to[0].networks[0]");
    }
}
