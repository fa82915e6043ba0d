package dev.weir.agent;

import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.Ruleset;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "one bad object stops a node": malformed objects of every kind stored in a (mock) API server next to a
 * valid deny-all-ingress; the agent must apply the valid policy and become ready, as it would with no bad object.
 */
class MalformedObjectsAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private NodeAgent agent;
    private final TestingDataplane dataplane = new TestingDataplane();

    @AfterEach
    void tearDown() throws Exception {
        Closing.inOrder(agent, agentClient, kube, cluster);
    }

    @Test
    void aValidPolicyIsEnforcedAndTheAgentReadyNextToMalformedObjectsOfEveryKind() throws Exception {
        cluster = new MockCluster();
        cluster.serveClusterNetworkPolicies();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
        kube.resource(namespace("x")).create();
        kube.resource(pod("x", "a", "10.0.0.1", "n1", "app", "a")).create();
        kube.resource(policy("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "deny-all-ingress", "namespace": "x"},
                 "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}""")).create();
        // the two policies, as a client can send them
        kube.resource(policy("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "null-egress", "namespace": "z"},
                 "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [null]}}""")).create();
        kube.resource(policy("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "null-label", "namespace": "z"},
                 "spec": {"podSelector": {"matchLabels": {"a": null}}}}""")).create();
        long seed = 11;
        MalformedObjects malformed = new MalformedObjects(new Random(seed));
        int created = 0;
        for (int i = 0; created < 200 && i < 2000; i++) {
            HasMetadata o = AgentFuzzing.asApiObject(
                    malformed.next(MalformedObjects.KINDS.get(i % MalformedObjects.KINDS.size()), "f-" + i));
            if (o != null && create(o)) {
                created++;
            }
        }
        assertThat(created).as("malformed objects stored (seed %d)", seed).isEqualTo(200);

        agent = NodeAgent.start(AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1)), agentClient,
                new AgentParts(ObjectTranslator.standard(), new TestingRenderer(), dataplane,
                        RejectionReporter.NONE, System::nanoTime));

        Ruleset applied = dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy x/deny-all-ingress"),
                WAIT);
        assertThat(TestingRenderer.lines(applied)).contains("policy z/null-egress", "policy z/null-label");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!agent.health().ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.health().ready()).as(agent.health().reason()).isTrue();
        assertThat(agent.metrics().applyErrors.getLongValue()).isZero();
    }

    private static NetworkPolicy policy(String json) {
        return Serialization.unmarshal(json, NetworkPolicy.class);
    }

    /** Stores the object as it is; one the mock refuses (a name no URL can carry) is skipped. */
    private boolean create(HasMetadata o) {
        try {
            kube.resource(o).create();
            return true;
        } catch (KubernetesClientException | IllegalArgumentException e) {
            return false;
        }
    }
}
