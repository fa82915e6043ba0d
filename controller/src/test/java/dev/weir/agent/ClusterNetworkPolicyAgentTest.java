package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
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
                new TestingRenderer(), dataplane, RejectionReporter.NONE, System::nanoTime));
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
    void anInvalidClusterPolicyIsLeftOutAndTheAgentWritesNeitherStatusNorEvents() throws Exception {
        kube.resource(cnp("deny-metadata", 10)).create();
        kube.resource(cnp("too-high", 5000)).create();
        String version = kube.resources(ClusterNetworkPolicy.class).withName("too-high").get().getMetadata()
                .getResourceVersion();
        startAgent();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy ClusterNetworkPolicy/deny-metadata"),
                WAIT);

        assertThat(TestingRenderer.text(dataplane.last())).doesNotContain("too-high");
        assertThat(agent.metrics().policiesRejected.get()).isEqualTo(1);
        // The Accepted condition and the PolicyRejected Event are the controller's: one writer for the cluster.
        kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).stream().anyMatch(l -> l.contains("10.0.0.2")), WAIT);
        ClusterNetworkPolicy again = kube.resources(ClusterNetworkPolicy.class).withName("too-high").get();
        assertThat(again.getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(again.getStatus()).isNull();
        assertThat(kube.v1().events().inAnyNamespace().list().getItems()).isEmpty();
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
}
