package dev.weir.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD states every constraint of upstream's standard-channel CRD (kubernetes-sigs/network-policy-api,
 * bundle v0.2.0, {@code apis/v1alpha2}), written down below as facts about the schema (required fields, limits,
 * list and map types, CEL rules) rather than a copy of upstream's file. A drift of the Java types, of the generator
 * or of its settings fails the fact it breaks. Paths: {@code a.b} is property b of a, {@code a[]} the items of list a.
 */
class UpstreamConstraintsTest {

    /** A fact: at {@code path} the schema keyword {@code keyword} has the value {@code expected}. */
    record Fact(String path, String keyword, Object expected) {
        @Override
        public String toString() {
            return (path.isEmpty() ? "(root)" : path) + " " + keyword + " = " + expected;
        }
    }

    private static CustomResourceDefinition crd;
    private static Map<String, Object> schema;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void generate() {
        String yaml = CrdGeneration.generate();
        crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
        Map<String, Object> doc = Serialization.unmarshal(yaml, Map.class);
        schema = at(doc, "spec", "versions", 0, "schema", "openAPIV3Schema");
    }

    static final List<String> SELECTORS = List.of("spec.subject.namespaces", "spec.subject.pods.namespaceSelector",
            "spec.subject.pods.podSelector", "spec.ingress[].from[].namespaces",
            "spec.ingress[].from[].pods.namespaceSelector", "spec.ingress[].from[].pods.podSelector",
            "spec.egress[].to[].namespaces", "spec.egress[].to[].pods.namespaceSelector",
            "spec.egress[].to[].pods.podSelector");

    static Stream<Arguments> facts() {
        List<Fact> facts = new ArrayList<>(List.of(
                new Fact("", "required", List.of("metadata", "spec")),
                new Fact("spec", "required", List.of("tier", "priority", "subject")),
                new Fact("spec.tier", "enum", List.of("Admin", "Baseline")),
                new Fact("spec.priority", "minimum", 0),
                new Fact("spec.priority", "maximum", 1000),
                new Fact("spec.priority", "format", "int32"),
                new Fact("spec.subject", "minProperties", 1),
                new Fact("spec.subject", "maxProperties", 1),
                new Fact("spec.subject.pods", "required", List.of("podSelector")),
                new Fact("spec.ingress", "maxItems", 25),
                new Fact("spec.egress", "maxItems", 25),
                new Fact("spec.ingress[]", "required", List.of("action", "from")),
                new Fact("spec.egress[]", "required", List.of("action", "to")),
                new Fact("spec.ingress[].from", "minItems", 1),
                new Fact("spec.ingress[].from", "maxItems", 25),
                new Fact("spec.egress[].to", "minItems", 1),
                new Fact("spec.egress[].to", "maxItems", 25),
                new Fact("spec.ingress[].from[]", "minProperties", 1),
                new Fact("spec.ingress[].from[]", "maxProperties", 1),
                new Fact("spec.egress[].to[]", "minProperties", 1),
                new Fact("spec.egress[].to[]", "maxProperties", 1),
                // the standard channel's peers; nodes and domainNames are experimental
                new Fact("spec.ingress[].from[]", "properties", Set.of("namespaces", "pods")),
                new Fact("spec.egress[].to[]", "properties", Set.of("namespaces", "pods", "networks")),
                new Fact("spec.ingress[].from[].pods", "required", List.of("podSelector")),
                new Fact("spec.egress[].to[].pods", "required", List.of("podSelector")),
                new Fact("spec.egress[].to[].networks", "minItems", 1),
                new Fact("spec.egress[].to[].networks", "maxItems", 25),
                new Fact("spec.egress[].to[].networks", "x-kubernetes-list-type", "set"),
                new Fact("spec.egress[].to[].networks[]", "maxLength", 43),
                new Fact("spec.egress[].to[].networks[]", "x-kubernetes-validations", List.of("isCIDR(self)")),
                // the experimental channel forbids destinationNamedPort beside networks/nodes/domainNames peers
                new Fact("spec.egress[]", "x-kubernetes-validations", List.of()),
                new Fact("status", "required", List.of("conditions")),
                new Fact("status.conditions", "x-kubernetes-list-type", "map"),
                new Fact("status.conditions", "x-kubernetes-list-map-keys", List.of("type")),
                new Fact("status.conditions[]", "required",
                        List.of("type", "status", "reason", "message", "lastTransitionTime")),
                new Fact("status.conditions[].status", "enum", List.of("True", "False", "Unknown")),
                new Fact("status.conditions[].type", "maxLength", 316),
                new Fact("status.conditions[].reason", "minLength", 1),
                new Fact("status.conditions[].reason", "maxLength", 1024),
                new Fact("status.conditions[].reason", "pattern", "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"),
                new Fact("status.conditions[].message", "maxLength", 32768),
                new Fact("status.conditions[].lastTransitionTime", "format", "date-time"),
                new Fact("status.conditions[].observedGeneration", "minimum", 0)));
        for (String direction : List.of("spec.ingress[]", "spec.egress[]")) {
            facts.add(new Fact(direction + ".name", "maxLength", 100));
            facts.add(new Fact(direction + ".action", "enum", List.of("Accept", "Deny", "Pass")));
            String protocols = direction + ".protocols";
            facts.add(new Fact(protocols, "minItems", 1));
            facts.add(new Fact(protocols, "maxItems", 25));
            facts.add(new Fact(protocols + "[]", "minProperties", 1));
            facts.add(new Fact(protocols + "[]", "maxProperties", 1));
            for (String transport : List.of("tcp", "udp", "sctp")) {
                String port = protocols + "[]." + transport + ".destinationPort";
                facts.add(new Fact(protocols + "[]." + transport, "minProperties", 1));
                facts.add(new Fact(port, "minProperties", 1));
                facts.add(new Fact(port, "maxProperties", 1));
                facts.add(new Fact(port + ".number", "minimum", 1));
                facts.add(new Fact(port + ".number", "maximum", 65535));
                facts.add(new Fact(port + ".range", "required", List.of("start", "end")));
                facts.add(new Fact(port + ".range.start", "minimum", 1));
                facts.add(new Fact(port + ".range.end", "maximum", 65535));
                facts.add(new Fact(port + ".range", "x-kubernetes-validations", List.of("self.start < self.end")));
            }
        }
        for (String selector : SELECTORS) {
            facts.add(new Fact(selector, "x-kubernetes-map-type", "atomic"));
            facts.add(new Fact(selector + ".matchExpressions", "x-kubernetes-list-type", "atomic"));
            facts.add(new Fact(selector + ".matchExpressions[]", "required", List.of("key", "operator")));
            facts.add(new Fact(selector + ".matchExpressions[].values", "x-kubernetes-list-type", "atomic"));
        }
        return facts.stream().map(f -> Arguments.of(named(f.toString(), f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void generatedSchemaStates(Fact fact) {
        Map<String, Object> node = node(fact.path());
        Object actual = node.get(fact.keyword());
        switch (fact.keyword()) {
            case "required", "enum" -> assertThat(strings(actual)).as(fact.toString())
                    .containsExactlyInAnyOrderElementsOf(strings(fact.expected()));
            case "properties" -> assertThat(((Map<?, ?>) actual).keySet()).as(fact.toString())
                    .isEqualTo(fact.expected());
            case "x-kubernetes-validations" -> assertThat(actual == null ? List.of()
                    : ((List<?>) actual).stream().map(r -> ((Map<?, ?>) r).get("rule")).toList())
                    .as(fact.toString()).isEqualTo(fact.expected());
            default -> {
                if (fact.expected() instanceof Number n) {
                    assertThat(actual).as(fact.toString()).isInstanceOf(Number.class);
                    assertThat(((Number) actual).doubleValue()).as(fact.toString()).isEqualTo(n.doubleValue());
                } else {
                    assertThat(actual).as(fact.toString()).isEqualTo(fact.expected());
                }
            }
        }
    }

    @Test
    void everyCelRuleIsOneOfUpstreams() {
        // min/maxProperties state the unions, as upstream does: a CEL rule naming fields would break on the other
        // channel's field set and costs the API server more
        Set<String> rules = new TreeSet<>();
        collectRules(schema, rules);
        assertThat(rules).containsExactlyInAnyOrder("self.start < self.end", "isCIDR(self)");
    }

    @Test
    void carriesUpstreamsApprovalChannelAndBundleAnnotations() {
        assertThat(crd.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "api-approved.kubernetes.io", "https://github.com/kubernetes-sigs/network-policy-api/pull/347",
                "policy.networking.k8s.io/bundle-version", "v0.2.0",
                "policy.networking.k8s.io/channel", "standard"));
    }

    @Test
    void namesScopeAndVersionAreUpstreams() {
        assertThat(crd.getMetadata().getName()).isEqualTo("clusternetworkpolicies.policy.networking.k8s.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        var names = crd.getSpec().getNames();
        assertThat(List.of(names.getKind(), names.getListKind(), names.getPlural(), names.getSingular()))
                .containsExactly("ClusterNetworkPolicy", "ClusterNetworkPolicyList", "clusternetworkpolicies",
                        "clusternetworkpolicy");
        assertThat(names.getShortNames()).containsExactly("cnp");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("v1alpha2");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
            assertThat(v.getSubresources().getStatus()).isNotNull();
        });
    }

    @Test
    void printerColumnsAreTierPriorityAgeTypedAsUpstreams() {
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getAdditionalPrinterColumns()).extracting(c -> c.getName() + " " + c.getJsonPath() + " "
                + c.getType()).containsExactly("Tier .spec.tier string", "Priority .spec.priority string",
                "Age .metadata.creationTimestamp date");
    }

    /** The schema node at a path such as {@code spec.egress[].to[].networks[]}. */
    private static Map<String, Object> node(String path) {
        Map<String, Object> node = schema;
        if (path.isEmpty()) {
            return node;
        }
        for (String segment : path.split("\\.")) {
            boolean items = segment.endsWith("[]");
            String name = items ? segment.substring(0, segment.length() - 2) : segment;
            node = at(node, "properties", name);
            if (items) {
                node = at(node, "items");
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Object root, Object... keys) {
        Object node = root;
        for (Object key : keys) {
            node = key instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(key);
            assertThat(node).as("schema has %s", List.of(keys)).isNotNull();
        }
        return (Map<String, Object>) node;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static void collectRules(Object node, Set<String> rules) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("x-kubernetes-validations") instanceof List<?> list) {
                list.forEach(r -> rules.add(String.valueOf(((Map<?, ?>) r).get("rule"))));
            }
            map.values().forEach(v -> collectRules(v, rules));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectRules(v, rules));
        }
    }
}
