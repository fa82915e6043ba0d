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
 * own process with process agents: rejected policies get one Event each from it, with two nodes' agents running, and
 * valid ones are reported enforced on both nodes from the agents' NodePolicyReports.
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
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all-ingress, namespace: x}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: deny-metadata}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {}}
                  egress: [{name: deny, action: Deny, to: [{networks: [169.254.169.254/32]}]}]
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
            assertThat(accepted).filteredOn(c -> c.getType().equals("Accepted")).singleElement()
                    .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));

            // the valid ones, from the agents' reports: on both nodes, each of which runs pods they select
            long t0 = System.nanoTime();
            String annotation = null;
            String enforced = null;
            while (System.nanoTime() - t0 < 30_000_000_000L) {
                var np = kube.network().v1().networkPolicies().inNamespace("x").withName("deny-all-ingress").get();
                annotation = np.getMetadata().getAnnotations() == null ? null
                        : np.getMetadata().getAnnotations().get("weir.dev/enforced");
                var cnp = kube.resources(dev.weir.crd.ClusterNetworkPolicy.class).withName("deny-metadata").get();
                enforced = cnp.getStatus() == null ? null : cnp.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("Enforced")).map(c -> c.getStatus() + " " + c.getMessage())
                        .findFirst().orElse(null);
                if ("2/2 nodes, generation 1".equals(annotation) && "True 2/2 nodes, generation 1".equals(enforced)) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.printf("%s: enforced on both nodes %d ms after the apply (and the wait for the Events)%n",
                    agents, (System.nanoTime() - t0) / 1_000_000);
            assertThat(annotation).isEqualTo("2/2 nodes, generation 1");
            assertThat(enforced).isEqualTo("True 2/2 nodes, generation 1");
        }
        LabFixture.Run status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
        assertThat(status.output()).contains("controller: ready");
    }
}
