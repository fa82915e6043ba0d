package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With the ClusterNetworkPolicy CRD served, the agent watches it next to NetworkPolicy. */
class ClusterNetworkPolicyAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private final TestingDataplane dataplane = new TestingDataplane();
    private NodeAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        cluster.serveClusterNetworkPolicies();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        agentClient.close();
        kube.close();
        cluster.close();
    }

    private void startAgent() throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1));
        agent = NodeAgent.start(config, agentClient, new AgentParts(ObjectTranslator.standard(),
                new TestingRenderer(), dataplane, new KubeEventReporter(agentClient, "n1"), System::nanoTime));
    }

    private static ClusterNetworkPolicy cnp(String name, int priority) {
        return Serialization.unmarshal("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata:
                  name: %s
                spec:
                  tier: Admin
                  priority: %d
                  subject:
                    namespaces: {}
                  egress:
                  - name: deny-metadata
                    action: Deny
                    to:
                    - networks: [169.254.169.254/32]
                """.formatted(name, priority), ClusterNetworkPolicy.class);
    }

    @Test
    void clusterPoliciesPresentAtStartAndCreatedLaterReachTheGraphAndDeletesLeaveIt() throws Exception {
        kube.resource(cnp("deny-metadata", 10)).create();
        startAgent();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("cluster-policy deny-metadata")
                && TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);

        kube.resource(cnp("deny-metadata-2", 20)).create();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("cluster-policy deny-metadata-2"), WAIT);

        kube.resources(ClusterNetworkPolicy.class).withName("deny-metadata").delete();
        dataplane.awaitApplied(r -> !TestingRenderer.lines(r).contains("cluster-policy deny-metadata"), WAIT);
    }

    @Test
    void anInvalidClusterPolicyGetsAnEventInDefaultAndTheRestStaysEnforced() throws Exception {
        kube.resource(cnp("too-high", 5000)).create();
        startAgent();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);

        assertThat(TestingRenderer.text(dataplane.last())).doesNotContain("too-high");
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Event> events = List.of();
        while (events.isEmpty() && System.nanoTime() < deadline) {
            events = kube.v1().events().inNamespace("default").list().getItems();
            Thread.sleep(20);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("PolicyRejected");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("ClusterNetworkPolicy");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("too-high");
            assertThat(e.getMessage()).contains("spec.priority");
        });
        assertThat(agent.metrics().policiesRejected.value()).isEqualTo(1);
    }
}
