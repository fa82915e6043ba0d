package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
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
    void tearDown() throws Exception {
        // the server's own close tolerates a slow Vert.x shutdown (MockCluster)
        Closing.inOrder(agent, agentClient, kube, cluster);
    }

    private void startAgent() throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1));
        agent = NodeAgent.start(config, agentClient, new AgentParts(ObjectTranslator.standard(),
                new TestingRenderer(), dataplane, new KubeEventReporter(agentClient, "n1"), System::nanoTime));
    }

    @Test
    void clusterPoliciesPresentAtStartAndCreatedLaterReachTheGraphAndDeletesLeaveIt() throws Exception {
        kube.resource(cnp("deny-metadata", 10)).create();
        startAgent();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy ClusterNetworkPolicy/deny-metadata")
                && TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);

        kube.resource(cnp("deny-metadata-2", 20)).create();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy ClusterNetworkPolicy/deny-metadata-2"),
                WAIT);

        kube.resources(ClusterNetworkPolicy.class).withName("deny-metadata").delete();
        dataplane.awaitApplied(r -> !TestingRenderer.lines(r).contains("policy ClusterNetworkPolicy/deny-metadata"),
                WAIT);
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
        assertThat(agent.metrics().policiesRejected.get()).isEqualTo(1);
    }
    @Test
    void everyClusterPolicyGetsAnAcceptedConditionThroughTheStatusSubresourceWrittenOnce() throws Exception {
        kube.resource(cnp("deny-metadata", 10)).create();
        kube.resource(cnp("too-high", 5000)).create();
        startAgent();

        io.fabric8.kubernetes.api.model.Condition ok = awaitAccepted("deny-metadata");
        assertThat(ok.getStatus()).isEqualTo("True");
        assertThat(ok.getReason()).isEqualTo("Accepted");
        assertThat(ok.getObservedGeneration()).isEqualTo(
                kube.resources(ClusterNetworkPolicy.class).withName("deny-metadata").get().getMetadata().getGeneration());
        io.fabric8.kubernetes.api.model.Condition bad = awaitAccepted("too-high");
        assertThat(bad.getStatus()).isEqualTo("False");
        assertThat(bad.getReason()).isEqualTo("Invalid");
        assertThat(bad.getMessage()).contains("spec.priority");

        // Our own write comes back as an update: it must not cause another (the content is already there).
        String version = kube.resources(ClusterNetworkPolicy.class).withName("too-high").get().getMetadata()
                .getResourceVersion();
        kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).stream().anyMatch(l -> l.contains("10.0.0.2")), WAIT);
        Thread.sleep(300);
        ClusterNetworkPolicy again = kube.resources(ClusterNetworkPolicy.class).withName("too-high").get();
        assertThat(again.getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(again.getStatus().getConditions()).hasSize(1);
    }

    @Test
    void theAgentNamesTheCrdItFoundByChannelBundleAndServedVersions() throws Exception {
        kube.apiextensions().v1().customResourceDefinitions().resource(InstalledCrdTest.weirsCrd()).create();
        startAgent();

        assertThat(awaitMetric("weir_cluster_network_policy_crd_info{")).isEqualTo(
                "weir_cluster_network_policy_crd_info{bundle_version=\"v0.2.0\",channel=\"standard\","
                        + "served_versions=\"v1alpha2\",state=\"found\"} 1");
    }

    @Test
    void withoutACrdObjectTheAgentSaysItFoundNone() throws Exception {
        startAgent();

        assertThat(awaitMetric("weir_cluster_network_policy_crd_info{")).contains("state=\"absent\"");
    }

    /** The first /metrics line that starts with {@code prefix}, once there is one. */
    private String awaitMetric(String prefix) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var out = new java.io.ByteArrayOutputStream();
            agent.metrics().writeTo(out);
            var line = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no metric line starting " + prefix + " within " + WAIT);
    }

    private io.fabric8.kubernetes.api.model.Condition awaitAccepted(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ClusterNetworkPolicy c = kube.resources(ClusterNetworkPolicy.class).withName(name).get();
            if (c.getStatus() != null && c.getStatus().getConditions() != null) {
                var found = c.getStatus().getConditions().stream().filter(x -> "Accepted".equals(x.getType()))
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no Accepted condition on " + name + " within " + WAIT);
    }
}
