package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code weir lab up} runs the controller beside the agents, in the daemon's JVM with in-process agents and as its
 * own process with process agents: rejected policies get one Event each from it, with two nodes' agents running.
 */
class LabControllerTest {

    @TempDir
    Path stateDir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest(name = "agents {0}")
    @CsvSource({"in-process, 20110", "process, 20130"})
    void theControllerRunsBesideTheAgentsAndReportsEachRejectionOnce(String agents, int httpBase) throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
        lab.up("--nodes", "2", "--topology", "flannel", "--agents", agents, "--agent-http-base",
                String.valueOf(httpBase));
        assertThat(lab.state().controller()).isNotNull();
        assertThat(lab.state().controller().mode()).isEqualTo(agents);
        assertThat(lab.state().controller().httpPort()).isEqualTo(httpBase);
        Path policies = Files.writeString(stateDir.resolve("invalid.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad-cidr, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                ---
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: too-high}
                spec:
                  tier: Admin
                  priority: 5000
                  subject: {namespaces: {}}
                  egress: [{name: deny, action: Deny, to: [{networks: [169.254.169.254/32]}]}]
                """);
        LabFixture.Run applied = lab.weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f",
                policies.toString()));
        assertThat(applied.code()).as(applied.output()).isZero();

        try (KubernetesClient kube = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(lab.state().kubeconfig())))).build()) {
            List<Event> events = List.of();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                events = kube.v1().events().inAnyNamespace().list().getItems().stream()
                        .filter(e -> "PolicyRejected".equals(e.getReason())).toList();
                if (events.size() >= 2) {
                    break;
                }
                Thread.sleep(500);
            }
            lab.awaitAgentsReady();
            Thread.sleep(2000); // every agent has synced the invalid policies by now; no second Event may come
            events = kube.v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> "PolicyRejected".equals(e.getReason())).toList();
            assertThat(events).extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("bad-cidr", "too-high");
            assertThat(events).allSatisfy(e -> assertThat(e.getSource().getComponent()).isEqualTo("weir-controller"));
            var accepted = kube.resources(dev.weir.crd.ClusterNetworkPolicy.class).withName("too-high").get()
                    .getStatus().getConditions();
            assertThat(accepted).singleElement().satisfies(c -> {
                assertThat(c.getType()).isEqualTo("Accepted");
                assertThat(c.getStatus()).isEqualTo("False");
            });
        }
        LabFixture.Run status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
        assertThat(status.output()).contains("controller: ready");
    }
}
