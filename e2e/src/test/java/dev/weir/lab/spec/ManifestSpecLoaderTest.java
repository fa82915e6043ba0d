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
}
