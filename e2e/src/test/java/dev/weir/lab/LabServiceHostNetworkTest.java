package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.Prober;
import dev.weir.model.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The last Service case of issue 13 on real packets (docs/lab.md, "Services"): a ClusterIP Service {@code host/hweb}
 * whose only endpoint is the hostNetwork pod {@code host/h1} on node 1 (serving 8080/TCP in the node's namespace, at
 * the node's address). Clients: x/a (node 1), y/d (node 2) and the hostNetwork pod host/h2 (node 2). Every step probes
 * with {@code weir lab probe --to svc/host/hweb --compare}, which must agree with explain cell by cell, and holds the
 * table to the one written here. What weir does: a hostNetwork pod is never selected by a policy (its traffic is its
 * node's), so a deny-all in its namespace changes nothing; only the client's egress towards the node's address (after
 * kube-proxy's DNAT: the node's address and the target port) decides, through INPUT on the endpoint's own node and
 * FORWARD on another. One lab per topology, each with its own agent ports.
 */
class LabServiceHostNetworkTest {

    /** Rows in the cluster file's order of the pods. */
    private static final String ALL = """
            -\thost/h1
            x/a\t.
            y/d\t.
            host/h1\t.
            host/h2\t.
            host/p\t.""";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"flannel, vxlan, 20360", "canal, host-gw, 20370"})
    void aServiceOfAHostNetworkPodIsDecidedByTheClientsEgressAlone(String topology, String backend, int httpBase)
            throws Exception {
        LabFixture.assumeLabCanRun();
        Path stateDir = Files.createTempDirectory("weir-lab-svchost");
        LabFixture lab = new LabFixture(stateDir);
        Path cluster = Files.writeString(stateDir.resolve("cluster.yaml"), CLUSTER);
        long t0 = System.nanoTime();
        try {
            lab.up("--nodes", "2", "--topology", topology, "--backend", backend, "--agents", "in-process",
                    "--agent-http-base", String.valueOf(httpBase), "-f", cluster.toString());
            lab.awaitAgentsReady();
            var nodes = lab.state().plan().nodes();

            // (1) no policy: every pod reaches the endpoint, h1 itself through its own Service included
            assertThat(probe(lab, stateDir)).isEqualTo(ALL);

            // (2) deny-all ingress in host/h1's namespace: it selects no hostNetwork pod, so nothing changes
            lab.apply("deny-host.yaml", """
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: deny-all-ingress, namespace: host}
                    spec: {podSelector: {}, policyTypes: [Ingress]}
                    """);
            awaitIsolated(lab, "x/a", "host/p"); // node 1's agent has the policy: the probe below is not too early
            assertThat(probe(lab, stateDir)).as("hostNetwork pods are not isolated: their traffic is the node's")
                    .isEqualTo(ALL);

            // (3) egress only to an ipBlock of one node's address on 8080: x pods to node 1's (the endpoint's: the
            // packet after the DNAT, INPUT on node 1), y pods to node 2's (their own, not the endpoint's: FORWARD)
            lab.apply("egress.yaml", egressTo("x", nodes.get(0).underlayIp()) + "---\n"
                    + egressTo("y", nodes.get(1).underlayIp()));
            awaitIsolated(lab, "x/a", "y/d"); // node 1's agent has x's egress: x/a's allowed cell is not too early
            assertThat(probe(lab, stateDir)).as("judged after the DNAT: the node's address and port 8080")
                    .isEqualTo("""
                            -\thost/h1
                            x/a\t.
                            y/d\tX
                            host/h1\t.
                            host/h2\t.
                            host/p\t.""");

            // (4) the other way round: x/a's packet to its own node's address is dropped in INPUT, y/d's to the
            // other node's is allowed in FORWARD (flannel masquerades it to the underlay only after the hooks)
            lab.apply("egress.yaml", egressTo("x", nodes.get(1).underlayIp()) + "---\n"
                    + egressTo("y", nodes.get(0).underlayIp()));
            assertThat(probe(lab, stateDir)).isEqualTo("""
                    -\thost/h1
                    x/a\tX
                    y/d\t.
                    host/h1\t.
                    host/h2\t.
                    host/p\t.""");
        } finally {
            LabFixture.Run r = lab.down();
            System.out.printf("%s %s: %d ms including up and down%n", topology, backend,
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(LabFixture.leftoverNetns()).as("lab namespaces left").isEmpty();
        }
    }

    private static String probe(LabFixture lab, Path stateDir) throws Exception {
        Map<PortProtocol, String> table = LabServicesContract.probeService(lab, stateDir, "svc/host/hweb");
        assertThat(table).containsOnlyKeys(PortProtocol.tcp(80));
        return table.get(PortProtocol.tcp(80));
    }

    /** Waits (at most 15 s) until {@code from} → {@code to} on 8080/TCP is dropped. */
    private static void awaitIsolated(LabFixture lab, String from, String to) throws Exception {
        var plan = lab.state().plan();
        try (Prober prober = new Prober(plan, 1, Duration.ofMillis(300), 1)) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            ProbeResult r;
            do {
                r = prober.probe(plan.pod(from).orElseThrow(), plan.pod(to).orElseThrow(), 8080, Protocol.TCP);
            } while (r.allowed() && System.nanoTime() < deadline);
            assertThat(r.allowed()).as("%s -> %s dropped within 15 s: %s", from, to, r.detail()).isFalse();
        }
    }

    private static String egressTo(String namespace, String nodeIp) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: egress-to-node, namespace: "%s"}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress: [{to: [{ipBlock: {cidr: %s/32}}], ports: [{port: 8080}]}]
                """.formatted(namespace, nodeIp);
    }

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x, labels: {ns: x}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: "y", labels: {ns: "y"}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: host, labels: {ns: host}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {nodeName: n1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: d, namespace: "y", labels: {pod: d}}
            spec: {nodeName: n2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: h1, namespace: host, labels: {pod: h1, app: hweb}}
            spec:
              nodeName: n1
              hostNetwork: true
              containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: h2, namespace: host, labels: {pod: h2}}
            spec:
              nodeName: n2
              hostNetwork: true
              containers: [{name: c, ports: [{name: other, containerPort: 9090}]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: host, labels: {pod: p}}
            spec: {nodeName: n1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: hweb, namespace: host}
            spec:
              selector: {app: hweb}
              ports: [{port: 80, targetPort: http}]
            """;
}
