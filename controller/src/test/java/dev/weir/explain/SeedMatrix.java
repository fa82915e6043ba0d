package dev.weir.explain;

import dev.weir.conformance.NetpolCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster of upstream's NetworkPolicy e2e suite ({@link NetpolCluster}: namespaces x, y, z with pods a, b, c, each
 * serving 80 and 81 on TCP, UDP and SCTP) with two denying policies, as the manifests {@code weir explain} reads: x
 * admits only namespace y, and only on 80/TCP; z/c may send nothing. The HTML page's tests and the screenshot in
 * {@code docs/img/explain-matrix.png} show this matrix.
 */
final class SeedMatrix {

    static final String POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-from-y-on-80, namespace: x}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 80, protocol: TCP}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-egress-of-c, namespace: z}
            spec:
              podSelector: {matchLabels: {pod: c}}
              policyTypes: [Egress]
            """;

    private SeedMatrix() {
    }

    /** Namespaces, pods (with addresses, Running) and the policies, as one multi-document YAML stream. */
    static String manifests() {
        List<String> docs = new ArrayList<>();
        NetpolCluster.NAMESPACES.forEach(ns -> docs.add(yaml(NetpolCluster.namespace(ns))));
        List<String> pods = NetpolCluster.allPods();
        for (String pod : pods) {
            docs.add(yaml(NetpolCluster.pod(pod, NetpolCluster.address(pod), "node-" + (1 + pods.indexOf(pod) % 2))));
        }
        docs.add(POLICIES);
        return String.join("\n---\n", docs);
    }

    private static String yaml(Object o) {
        return Serialization.asYaml(o).replaceFirst("^---\\n", "");
    }
}
