package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Diagnostic;
import dev.weir.model.IpAddress;
import dev.weir.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node objects, for ClusterNetworkPolicy {@code nodes} peers: in the translator and in manifests. */
class NodeTranslationTest {

    private static final String NODE_N1 = """
            apiVersion: v1
            kind: Node
            metadata:
              name: n1
              labels: {node-role.kubernetes.io/control-plane: "", zone: a}
            status:
              addresses:
              - {type: Hostname, address: n1.example}
              - {type: InternalIP, address: 192.168.0.1}
              - {type: InternalDNS, address: n1.internal}
              - {type: ExternalIP, address: 203.0.113.1}
              - {type: InternalIP, address: "fd00:ff::1"}
            """;

    private static io.fabric8.kubernetes.api.model.Node node(String yaml) {
        return Serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.Node.class);
    }

    private static LoadResult load(String yaml) {
        return ManifestLoader.load(List.of("-"), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNodeCarriesItsLabelsAndTheIpEntriesOfStatusAddresses() {
        Node n = ModelTranslator.node(node(NODE_N1)).value().orElseThrow();
        assertThat(n.name()).isEqualTo("n1");
        assertThat(n.labels()).containsEntry("node-role.kubernetes.io/control-plane", "").containsEntry("zone", "a");
        assertThat(n.addresses()).extracting(Object::toString)
                .containsExactly("192.168.0.1", "203.0.113.1", "fd00:ff::1");
    }

    @Test
    void aNodeWithoutStatusHasNoAddresses() {
        Node n = ModelTranslator.node(node("apiVersion: v1\nkind: Node\nmetadata: {name: bare}\n")).value()
                .orElseThrow();
        assertThat(n.addresses()).isEmpty();
    }

    @Test
    void aMalformedAddressRejectsTheNodeNamingTheField() {
        Translated<Node> t = ModelTranslator.node(node("""
                apiVersion: v1
                kind: Node
                metadata: {name: broken}
                status:
                  addresses:
                  - {type: Hostname, address: not-an-ip}
                  - {type: InternalIP, address: 10.0.0.300}
                """));
        assertThat(t.isAccepted()).isFalse();
        assertThat(t.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "Node broken: status.addresses[1].address: invalid IP address \"10.0.0.300\"");
    }

    @Test
    void manifestsReadNodesAlsoInsideAList() {
        LoadResult r = load("""
                apiVersion: v1
                kind: List
                items:
                """ + NODE_N1.indent(2).replaceFirst("  apiVersion", "- apiVersion") + """
                - {apiVersion: v1, kind: Node, metadata: {name: n2, labels: {zone: b}},
                   status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}}
                """);
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.notes()).isEmpty();
        assertThat(r.snapshot().nodes()).extracting(Node::name).containsExactly("n1", "n2");
        assertThat(r.snapshot().nodes().get(1).addresses()).containsExactly(IpAddress.parse("192.168.0.2"));
    }

    @Test
    void aRejectedNodeIsReportedAndLeftOutWhileTheRestLoads() {
        LoadResult r = load(NODE_N1 + """
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: broken}
                status: {addresses: [{type: ExternalIP, address: "1.2.3"}]}
                """);
        assertThat(r.hasRejections()).isTrue();
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "Node broken: status.addresses[0].address: invalid IP address \"1.2.3\"");
        assertThat(r.snapshot().nodes()).extracting(Node::name).containsExactly("n1");
    }

    @Test
    void aHostNetworkPodWithoutAnIpTakesItsNodesHostIps() {
        LoadResult r = load(NODE_N1 + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: agent, namespace: kube-system}
                spec: {nodeName: n1, hostNetwork: true}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: elsewhere, namespace: kube-system}
                spec: {nodeName: n9, hostNetwork: true}
                """);
        assertThat(r.snapshot().endpoints()).filteredOn(e -> e.name().equals("agent")).singleElement()
                .satisfies(e -> assertThat(e.ips()).extracting(Object::toString)
                        .containsExactly("192.168.0.1", "fd00:ff::1"));
        assertThat(r.snapshot().endpoints()).filteredOn(e -> e.name().equals("elsewhere")).singleElement()
                .satisfies(e -> assertThat(e.ips()).extracting(Object::toString).containsExactly("10.254.0.1"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("hostNetwork pods without status.podIP were "
                + "given their node's address").contains("kube-system/agent=192.168.0.1,fd00:ff::1"));
    }
}
