package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.Protocol;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corners of the API semantics, end to end from YAML to a table: what a user of explain would check by hand. */
class ExplainSemanticsTest {

    private static TruthTable explain(String yaml, PortProtocol... targets) {
        LoadResult r = ManifestLoader.load(List.of("-"),
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.diagnostics()).isEmpty();
        return Explainer.table(new Reachability(PolicyCompiler.compile(r.snapshot())), List.of(targets));
    }

    private static boolean allowed(TruthTable t, String from, String to, PortProtocol p) {
        return t.cell(from, to, p).orElseThrow().allowed();
    }

    private static String pod(String ns, String name, String ip, String labels, String ports) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {%s}}
                spec: {nodeName: n1, containers: [{name: c, ports: [%s]}]}
                status: {podIP: %s}
                """.formatted(name, ns, labels, ports, ip);
    }

    @Test
    void namedPortMeansEachDestinationsOwnNumber() {
        String yaml = pod("x", "old", "10.0.0.1", "app: web", "{name: http, containerPort: 8080}")
                + pod("x", "new", "10.0.0.2", "app: web", "{name: http, containerPort: 80}")
                + pod("x", "client", "10.0.0.3", "", "") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: http-only, namespace: x}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress: [{ports: [{port: http}]}]
                """;
        PortProtocol p80 = PortProtocol.tcp(80);
        PortProtocol p8080 = PortProtocol.tcp(8080);
        TruthTable t = explain(yaml, p80, p8080);

        assertThat(allowed(t, "x/client", "x/old", p8080)).isTrue();
        assertThat(allowed(t, "x/client", "x/old", p80)).isFalse();
        assertThat(allowed(t, "x/client", "x/new", p80)).isTrue();
        assertThat(allowed(t, "x/client", "x/new", p8080)).isFalse();
    }

    @Test
    void hostNetworkPodIsNeverIsolatedAndIsAPeerOnlyThroughIpBlock() {
        String yaml = pod("x", "a", "10.0.0.1", "app: a", "{containerPort: 80}") + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: agent, namespace: kube-system, labels: {app: a}}
                spec: {nodeName: n2, hostNetwork: true}
                status: {podIP: 192.168.0.2}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-app-a-pods, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: kube-system}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """;
        PortProtocol p = PortProtocol.tcp(80);
        TruthTable t = explain(yaml, p);
        // the selector matches the hostNetwork pod's labels, but hostNetwork pods are not pod peers
        assertThat(allowed(t, "kube-system/agent", "x/a", p)).isFalse();
        // and kube-system's deny-all does not isolate it
        assertThat(allowed(t, "x/a", "kube-system/agent", p)).isTrue();

        TruthTable viaBlock = explain(yaml.replace("[{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]",
                "[{ipBlock: {cidr: 192.168.0.0/24}}]"), p);
        assertThat(allowed(viaBlock, "kube-system/agent", "x/a", p)).isTrue();
    }

    @Test
    void protocolOfARuleDoesNotLeakToOtherProtocolsOnTheSamePort() {
        String yaml = pod("x", "a", "10.0.0.1", "", "") + pod("x", "b", "10.0.0.2", "", "") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: udp-53, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress: [{ports: [{port: 53, protocol: UDP}]}]
                """;
        PortProtocol udp = new PortProtocol(53, Protocol.UDP);
        PortProtocol tcp = new PortProtocol(53, Protocol.TCP);
        PortProtocol sctp = new PortProtocol(53, Protocol.SCTP);
        TruthTable t = explain(yaml, udp, tcp, sctp);
        assertThat(allowed(t, "x/a", "x/b", udp)).isTrue();
        assertThat(allowed(t, "x/a", "x/b", tcp)).isFalse();
        assertThat(allowed(t, "x/a", "x/b", sctp)).isFalse();
    }

    @Test
    void policyInOneNamespaceSelectsOnlyItsOwnPodsEvenWithAnEmptySelector() {
        String yaml = pod("x", "a", "10.0.0.1", "", "") + pod("y", "a", "10.0.0.2", "", "") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: x}
                spec: {podSelector: {}}
                """;
        PortProtocol p = PortProtocol.tcp(80);
        TruthTable t = explain(yaml, p);
        assertThat(allowed(t, "y/a", "x/a", p)).isFalse();
        assertThat(allowed(t, "x/a", "y/a", p)).isTrue();
    }

    @Test
    void ipBlockMatchesPodAddressesOfOtherNamespacesToo() {
        String yaml = pod("x", "a", "10.0.0.1", "", "") + pod("y", "b", "10.1.0.2", "", "")
                + pod("y", "c", "10.2.0.3", "", "") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-10-1, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.1.0.0/16}}]}]
                """;
        PortProtocol p = PortProtocol.tcp(80);
        TruthTable t = explain(yaml, p);
        assertThat(allowed(t, "y/b", "x/a", p)).isTrue();
        assertThat(allowed(t, "y/c", "x/a", p)).isFalse();
    }
}
