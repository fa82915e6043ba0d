package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code weir explain} and {@code weir render} with a ClusterNetworkPolicy {@code nodes} peer and Node manifests. */
class NodesPeerCommandsTest {

    private static CliRun run(Subcommand c, String... args) {
        return CliRun.weir(c, args);
    }

    private static ByteArrayInputStream stdin() {
        return new ByteArrayInputStream(CLUSTER.getBytes(StandardCharsets.UTF_8));
    }

    /** An Admin Deny from every pod to the nodes labelled control-plane; a hostNetwork pod on each node. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata: {name: n1, labels: {node-role.kubernetes.io/control-plane: ""}}
              status: {addresses: [{type: InternalIP, address: 192.168.0.1}, {type: Hostname, address: n1}]}
            - apiVersion: v1
              kind: Node
              metadata: {name: n2}
              status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: web, namespace: prod}
              spec: {nodeName: n2, containers: [{name: c, ports: [{containerPort: 80}]}]}
              status: {podIP: 10.0.2.2}
            - apiVersion: v1
              kind: Pod
              metadata: {name: apiserver, namespace: kube-system}
              spec: {nodeName: n1, hostNetwork: true, containers: [{name: c, ports: [{containerPort: 6443}]}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: kubelet, namespace: kube-system}
              spec: {nodeName: n2, hostNetwork: true}
            - apiVersion: policy.networking.k8s.io/v1alpha2
              kind: ClusterNetworkPolicy
              metadata: {name: protect-control-plane}
              spec:
                tier: Admin
                priority: 5
                subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: prod}}}
                egress:
                - name: no-control-plane
                  action: Deny
                  to: [{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}]
            """;

    @Test
    void explainDeniesTheControlPlaneNodesHostNetworkPodAndNamesTheRule() throws Exception {
        CliRun denied = run(new ExplainCommand(stdin()), "-", "--from", "prod/web", "--to", "kube-system/apiserver",
                "--port", "6443");
        assertThat(denied.out()).contains("denied").contains("egress: denied by ClusterNetworkPolicy "
                + "protect-control-plane egress[0] \"no-control-plane\" (Admin, priority 5)");
        assertThat(denied.err()).contains("kube-system/apiserver=192.168.0.1");
        CliRun allowed = run(new ExplainCommand(stdin()), "-", "--from", "prod/web", "--to", "kube-system/kubelet",
                "--port", "10250");
        assertThat(allowed.out()).contains("allowed").doesNotContain("protect-control-plane");
    }

    @Test
    void renderPutsTheSelectedNodesAddressesInAHashIpSet() throws Exception {
        CliRun r = run(new RenderCommand(stdin()), "--node", "n2", "-f", "-", "--only", "ipset");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("create weir-h4-[0-9a-f]{16} hash:ip family inet ")
                .containsPattern("add weir-h4-[0-9a-f]{16} 192.168.0.1\n")
                .doesNotContain("192.168.0.2");
    }
}
