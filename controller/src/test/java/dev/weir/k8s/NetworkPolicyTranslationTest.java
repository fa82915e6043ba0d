package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Cidr;
import dev.weir.model.LabelSelector;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkPolicyTranslationTest {

    private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy yaml(String spec) {
        String doc = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: dev\n"
                + "spec:\n" + spec.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
        return Serialization.unmarshal(doc, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
    }

    @Test
    void builderPolicyTranslatesSelectorsPeersAndPorts() {
        var in = new NetworkPolicyBuilder().withNewMetadata().withName("web").withNamespace("dev").endMetadata()
                .withNewSpec()
                .withNewPodSelector().addToMatchLabels("app", "web").endPodSelector()
                .addNewIngress()
                .addNewFrom().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector().endFrom()
                .addNewFrom().withNewNamespaceSelector().addToMatchLabels("team", "a").endNamespaceSelector().endFrom()
                .addNewFrom().withNewIpBlock().withCidr("10.0.0.0/8").withExcept("10.1.0.0/16").endIpBlock().endFrom()
                .addNewPort().withPort(new IntOrString(80)).withEndPort(90).endPort()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString("dns")).endPort()
                .addNewPort().withProtocol("SCTP").endPort()
                .endIngress()
                .endSpec().build();

        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(in);

        assertThat(t.diagnostics()).isEmpty();
        NetworkPolicy p = t.value().orElseThrow();
        assertThat(p.key()).isEqualTo(ObjectKey.networkPolicy("dev", "web"));
        assertThat(p.podSelector()).isEqualTo(LabelSelector.matchLabel("app", "web"));
        assertThat(p.policyTypes()).containsExactly(PolicyType.INGRESS);
        assertThat(p.ingress()).hasSize(1);
        assertThat(p.ingress().get(0).peers()).containsExactly(
                Peer.Pods.inPolicyNamespace(LabelSelector.matchLabel("app", "db")),
                new Peer.Pods(LabelSelector.matchLabel("team", "a"), LabelSelector.all()),
                new Peer.IpBlock(Cidr.parse("10.0.0.0/8"), List.of(Cidr.parse("10.1.0.0/16"))));
        assertThat(p.ingress().get(0).ports()).containsExactly(new PortMatch.Range(Protocol.TCP, 80, 90),
                new PortMatch.Named(Protocol.UDP, "dns"), new PortMatch.AllPorts(Protocol.SCTP));
    }

    @Test
    void emptyPodSelectorInAPeerMeansEveryPodOfThePolicyNamespace() {
        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(yaml("""
                podSelector: {}
                ingress:
                  - from:
                      - podSelector: {}
                """));
        assertThat(t.value().orElseThrow().ingress().get(0).peers())
                .containsExactly(Peer.Pods.inPolicyNamespace(LabelSelector.all()));
    }

    /**
     * What a client can send and the API server stores decoded into Go structs: a null list item is the item's zero
     * value, a null string is "" (docs/model.md, "Null values"). weir reads them the same way and says so.
     */
    @Test
    void aNullRuleIsAnEmptyRuleAndANullLabelValueIsEmptyAsTheApiServerStoresThem() {
        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(yaml("""
                podSelector:
                  matchLabels: {a: null}
                policyTypes: [Egress]
                egress: [null]
                """));
        NetworkPolicy p = t.value().orElseThrow();
        assertThat(p.podSelector()).isEqualTo(LabelSelector.matchLabel("a", ""));
        assertThat(p.egress()).hasSize(1);
        assertThat(p.egress().get(0).peers()).isEmpty(); // {}: every destination, every port
        assertThat(p.egress().get(0).ports()).isEmpty();
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactly(
                "NetworkPolicy dev/web: spec.egress[0]: null read as {}, as the API server stores it",
                "NetworkPolicy dev/web: spec.podSelector.matchLabels[a]: null read as \"\", as the API server "
                        + "stores it");
    }

    @Test
    void nullItemsWhoseZeroValueTheApiServerRefusesRejectThePolicyNamingTheField() {
        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(yaml("""
                podSelector:
                  matchExpressions: [null]
                policyTypes: [null]
                ingress:
                  - from: [null]
                    ports: [null]
                  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [null]}}]
                """));
        assertThat(t.isAccepted()).isFalse();
        assertThat(t.diagnostics()).filteredOn(d -> !d.message().startsWith("null read as"))
                .extracting(d -> d.field() + ": " + d.message().split(" ")[0]).containsExactly(
                        "spec.ingress[0].from[0]: must",
                        "spec.ingress[1].from[0].ipBlock.except[0]: invalid",
                        "spec.podSelector.matchExpressions[0].key: label",
                        "spec.policyTypes[0]: unsupported");
    }

    @Test
    void policyWithoutNamespaceLandsInDefault() {
        var in = new NetworkPolicyBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().endSpec()
                .build();
        assertThat(ModelTranslator.networkPolicy(in).value().orElseThrow().namespace()).isEqualTo("default");
    }

    @Test
    void emptyEgressListWithEgressTypeIsolatesEgress() {
        NetworkPolicy p = ModelTranslator.networkPolicy(yaml("""
                podSelector: {}
                policyTypes: [Egress]
                egress: []
                """)).value().orElseThrow();
        assertThat(p.policyTypes()).containsExactly(PolicyType.EGRESS);
        assertThat(p.egress()).isEmpty();
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                Arguments.of("cidr prefix too long", """
                        podSelector: {}
                        ingress:
                          - from:
                              - podSelector: {}
                              - ipBlock: {cidr: 10.0.0.0/33}
                        """, "NetworkPolicy dev/web: spec.ingress[0].from[1].ipBlock.cidr: invalid CIDR \"10.0.0.0/33\""),
                Arguments.of("cidr not an address", """
                        podSelector: {}
                        egress:
                          - to:
                              - ipBlock: {cidr: banana}
                        """, "NetworkPolicy dev/web: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR \"banana\""),
                Arguments.of("cidr without prefix", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.1}
                        """, "NetworkPolicy dev/web: spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR \"10.0.0.1\""),
                Arguments.of("cidr with blanks", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: " 10.0.0.0/8"}
                        """, "spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR \" 10.0.0.0/8\""),
                Arguments.of("except without prefix", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.1]}
                        """, "spec.ingress[0].from[0].ipBlock.except[0]: invalid CIDR \"10.0.0.1\""),
                Arguments.of("except outside cidr", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}
                        """, "spec.ingress[0].from[0].ipBlock.except[0]: \"10.1.0.0/24\" must be a strict subset"),
                Arguments.of("except equal to cidr", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}
                        """, "spec.ingress[0].from[0].ipBlock.except[0]: \"10.0.0.0/16\" must be a strict subset"),
                Arguments.of("except of other family", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.0/16, except: ["fd00::/64"]}
                        """, "spec.ingress[0].from[0].ipBlock.except[0]: \"fd00::/64\" is not of the same IP family"),
                Arguments.of("missing cidr", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {except: [10.0.0.0/24]}
                        """, "spec.ingress[0].from[0].ipBlock.cidr: Required value"),
                Arguments.of("port zero", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: 0}]
                        """, "spec.ingress[0].ports[0].port: must be between 1 and 65535"),
                Arguments.of("port too high", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: 65536}]
                        """, "spec.ingress[0].ports[0].port: must be between 1 and 65535"),
                Arguments.of("endPort below port", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: 90, endPort: 80}]
                        """, "spec.ingress[0].ports[0].endPort: must be greater than or equal to `port`"),
                Arguments.of("endPort with named port", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: http, endPort: 80}]
                        """, "spec.ingress[0].ports[0].endPort: may not be specified when `port` is a named port"),
                Arguments.of("endPort without port", """
                        podSelector: {}
                        egress:
                          - ports: [{endPort: 80}]
                        """, "spec.egress[0].ports[0].endPort: may not be specified when `port` is not specified"),
                Arguments.of("named port too long", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: abcdefghijklmnop}]
                        """, "spec.ingress[0].ports[0].port: port name \"abcdefghijklmnop\" must be no more than 15"),
                Arguments.of("named port upper case", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: HTTP}]
                        """, "spec.ingress[0].ports[0].port: port name \"HTTP\" must contain only lower-case"),
                Arguments.of("named port double hyphen", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: a--b}]
                        """, "spec.ingress[0].ports[0].port: port name \"a--b\""),
                Arguments.of("named port of digits", """
                        podSelector: {}
                        ingress:
                          - ports: [{port: "8080"}]
                        """, "spec.ingress[0].ports[0].port: port name \"8080\" must contain at least one letter"),
                Arguments.of("unknown protocol", """
                        podSelector: {}
                        ingress:
                          - ports: [{protocol: ICMP, port: 80}]
                        """, "spec.ingress[0].ports[0].protocol: unsupported value \"ICMP\""),
                Arguments.of("lower-case protocol", """
                        podSelector: {}
                        ingress:
                          - ports: [{protocol: tcp, port: 80}]
                        """, "spec.ingress[0].ports[0].protocol: unsupported value \"tcp\""),
                Arguments.of("unknown policy type", """
                        podSelector: {}
                        policyTypes: [Ingress, Sideways]
                        """, "spec.policyTypes[1]: unsupported value \"Sideways\""),
                Arguments.of("bad operator", """
                        podSelector:
                          matchExpressions: [{key: app, operator: Equals, values: [web]}]
                        """, "spec.podSelector.matchExpressions[0].operator: unknown operator \"Equals\""),
                Arguments.of("In without values", """
                        podSelector: {}
                        ingress:
                          - from:
                              - namespaceSelector:
                                  matchExpressions: [{key: team, operator: In}]
                        """, "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be specified"),
                Arguments.of("NotIn with empty values", """
                        podSelector:
                          matchExpressions: [{key: app, operator: NotIn, values: []}]
                        """, "spec.podSelector.matchExpressions[0].values: must be specified"),
                Arguments.of("Exists with values", """
                        podSelector:
                          matchExpressions: [{key: app, operator: Exists, values: [x]}]
                        """, "spec.podSelector.matchExpressions[0].values: may not be specified"),
                Arguments.of("bad label key", """
                        podSelector:
                          matchLabels: {"-app": web}
                        """, "spec.podSelector.matchLabels: label key \"-app\""),
                Arguments.of("ipBlock with podSelector", """
                        podSelector: {}
                        ingress:
                          - from:
                              - ipBlock: {cidr: 10.0.0.0/8}
                                podSelector: {}
                        """, "spec.ingress[0].from[0]: may not specify both ipBlock and another peer"),
                Arguments.of("ipBlock with namespaceSelector", """
                        podSelector: {}
                        egress:
                          - to:
                              - ipBlock: {cidr: 10.0.0.0/8}
                                namespaceSelector: {matchLabels: {a: b}}
                        """, "spec.egress[0].to[0]: may not specify both ipBlock and another peer"),
                Arguments.of("empty peer", """
                        podSelector: {}
                        ingress:
                          - from:
                              - {}
                        """, "spec.ingress[0].from[0]: must specify a peer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidPolicyIsRejectedWholeWithADiagnosticNamingTheField(String name, String spec, String expected) {
        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(yaml(spec));

        assertThat(t.value()).isEmpty();
        assertThat(t.diagnostics()).extracting(Object::toString).anySatisfy(d -> assertThat(d).contains(expected));
    }

    @Test
    void everyMistakeOfAPolicyIsReportedNotJustTheFirst() {
        Translated<NetworkPolicy> t = ModelTranslator.networkPolicy(yaml("""
                podSelector: {}
                ingress:
                  - from:
                      - {}
                    ports: [{port: 0}]
                egress:
                  - to:
                      - ipBlock: {cidr: 10.0.0.0/40}
                """));
        assertThat(t.diagnostics()).extracting(d -> d.field()).containsExactlyInAnyOrder(
                "spec.ingress[0].from[0]", "spec.ingress[0].ports[0].port", "spec.egress[0].to[0].ipBlock.cidr");
    }
}
