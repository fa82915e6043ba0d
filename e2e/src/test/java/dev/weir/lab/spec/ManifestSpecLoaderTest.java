package dev.weir.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSpecLoaderTest {

    @Test
    void namespacesAndPodsBecomeASpecWithPinnedNodesAndPorts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: dev, labels: {team: a}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: dev, labels: {app: web}}
                spec:
                  nodeName: wl-n2
                  containers:
                  - name: c
                    image: x
                    ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db, namespace: prod}
                spec: {containers: [{name: c, image: x}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: ignored, namespace: dev}
                spec: {podSelector: {}}
                """);

        LabSpec spec = ManifestSpecLoader.load(f, 2, Topology.CANAL, Backend.VXLAN);

        assertThat(spec.namespaces()).containsExactly(new LabSpec.NamespaceSpec("dev", Map.of("team", "a")),
                new LabSpec.NamespaceSpec("prod", Map.of()));
        assertThat(spec.pods()).containsExactly(
                new LabSpec.PodSpec("dev", "web", Map.of("app", "web"), java.util.List.of(
                        new ContainerPort("http", 8080, Protocol.TCP), new ContainerPort(null, 53, Protocol.UDP)), 2),
                new LabSpec.PodSpec("prod", "db", Map.of(), java.util.List.of(), 0));
    }

    @Test
    void theWorkedExampleKeepsItsPodIpsEachOnTheNodeWhoseCidrHoldsIt() throws Exception {
        java.util.List<String> notes = new java.util.ArrayList<>();

        LabSpec spec = ManifestSpecLoader.load(Path.of("..", "examples", "cluster.yaml"), 2, Topology.FLANNEL,
                Backend.VXLAN, notes::add);

        // dev/myapp-1 must keep 10.244.1.2: allow-80-ingress excepts exactly that address
        assertThat(spec.pods()).extracting(p -> p.key() + " " + p.ip()).containsExactly(
                "dev/myapp-1 10.244.1.2", "dev/myapp-2 10.244.1.3", "dev/other 10.244.1.4",
                "prod/myapp-1 10.244.2.2", "prod/myapp-2 10.244.2.3", "prod/other 10.244.2.4");
        assertThat(spec.pods()).allSatisfy(p -> assertThat(p.ip()).startsWith("10.244." + p.node() + "."));
        assertThat(notes).allMatch(n -> n.endsWith("to keep the IP"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} on {1} nodes -> node {2}, ip {3}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
            "10.244.2.7, 2, 2, 10.244.2.7",
            "10.244.3.7, 2, 1, -", // no node 3: the pod keeps its nodeName (node-1) and gets a planned address
            "10.96.0.10, 2, 1, -",
            "10.244.1.255, 2, 1, -"})
    void aPodIpIsHonouredOnlyWhereItFitsANodesPodCidr(String ip, int nodes, int node, String kept,
            @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: d}
                spec: {nodeName: node-1, containers: [{name: c, image: x}]}
                status: {podIP: %s}
                """.formatted(ip));
        java.util.List<String> notes = new java.util.ArrayList<>();

        LabSpec.PodSpec pod = ManifestSpecLoader.load(f, nodes, Topology.CANAL, Backend.VXLAN, notes::add).pods()
                .get(0);

        assertThat(pod.node()).isEqualTo(node);
        assertThat(pod.ip()).isEqualTo(kept);
        assertThat(notes).hasSize(kept == null || node != 1 ? 1 : 0);
    }

    @Test
    void aHostNetworkPodKeepsItsNodeAndLeavesItsIpToTheNode(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Pod
                metadata: {name: agent, namespace: kube-system, labels: {app: agent}}
                spec:
                  hostNetwork: true
                  nodeName: node-2
                  containers: [{name: c, image: x, ports: [{containerPort: 9100}]}]
                status: {podIP: 10.244.1.7}
                """);
        java.util.List<String> notes = new java.util.ArrayList<>();

        LabSpec spec = ManifestSpecLoader.load(f, 2, Topology.FLANNEL, Backend.VXLAN, notes::add);

        assertThat(spec.pods()).containsExactly(new LabSpec.PodSpec("kube-system", "agent", Map.of("app", "agent"),
                java.util.List.of(new ContainerPort(null, 9100, Protocol.TCP)), 2).onHostNetwork());
        assertThat(notes).containsExactly("pod kube-system/agent is hostNetwork: its IP is its node's, not 10.244.1.7");
    }

    @Test
    void servicesAreKeptWithTheirPortsTargetsAndTrafficPolicy() throws Exception {
        LabSpec spec = ManifestSpecLoader.load(Path.of("src/test/resources/dev/weir/lab/services/cluster.yaml"), 2,
                Topology.FLANNEL, Backend.VXLAN);
        assertThat(spec.services()).extracting(LabSpec.ServiceSpec::key)
                .containsExactly("x/web", "x/web-local", "x/web-internal");
        LabSpec.ServiceSpec web = spec.services().get(0);
        assertThat(web.type()).isEqualTo("NodePort");
        assertThat(web.clusterIp()).isNull();
        assertThat(web.selector()).containsExactly(java.util.Map.entry("app", "web"));
        assertThat(web.ports()).containsExactly(
                new LabSpec.ServicePortSpec("http", 80, dev.weir.model.Protocol.TCP, "http", 30080),
                new LabSpec.ServicePortSpec("echo", 81, dev.weir.model.Protocol.UDP, "8081", 30081));
        assertThat(spec.services().get(1).externalTrafficPolicy()).isEqualTo("Local");
        assertThat(spec.services().get(2).type()).isEqualTo("ClusterIP");
    }
}
