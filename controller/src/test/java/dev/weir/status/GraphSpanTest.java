package dev.weir.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphSpanTest {

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: x, labels: {app: web}}
            spec: {nodeName: n1, containers: [{name: c, image: i}]}
            status: {podIP: 10.0.1.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: x, labels: {app: db}}
            spec: {nodeName: n2, containers: [{name: c, image: i}]}
            status: {podIP: 10.0.2.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: done, namespace: x, labels: {app: web}}
            spec: {nodeName: n3, containers: [{name: c, image: i}]}
            status: {podIP: 10.0.3.2, phase: Succeeded}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: host, namespace: x, labels: {app: web}}
            spec: {nodeName: n4, hostNetwork: true, containers: [{name: c, image: i}]}
            status: {podIP: 192.168.0.4, phase: Running}
            """;

    private static final String POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: x}
            spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: all-egress, namespace: x}
            spec: {podSelector: {}, policyTypes: [Egress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: nobody, namespace: x}
            spec: {podSelector: {matchLabels: {app: none}}}
            """;

    @Test
    void aPolicySpansTheNodesOfThePodsItJudgesInEitherDirection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pods.yaml"), PODS);
        Files.writeString(dir.resolve("policies.yaml"), POLICIES);
        var graph = PolicyCompiler.compile(ManifestLoader.load(List.of(dir.toString()), null).snapshot());

        // finished and hostNetwork pods have no chain: their nodes have nothing to enforce
        assertThat(GraphSpan.nodes(graph)).containsOnlyKeys(ObjectKey.networkPolicy("x", "web"),
                ObjectKey.networkPolicy("x", "all-egress"));
        assertThat(GraphSpan.nodes(graph).get(ObjectKey.networkPolicy("x", "web"))).containsExactly("n1");
        assertThat(GraphSpan.nodes(graph).get(ObjectKey.networkPolicy("x", "all-egress")))
                .containsExactly("n1", "n2");
        assertThat(GraphSpan.of(graph).nodesFor(ObjectKey.networkPolicy("x", "nobody"),
                new TreeSet<>(Set.of("n1", "n2")))).isEmpty();
    }
}
