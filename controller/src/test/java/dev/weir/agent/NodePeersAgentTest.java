package dev.weir.agent;

import static dev.weir.agent.Kube.labels;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicy {@code nodes} peers in a running agent against fabric8's mock API server (CRUD mode): Node
 * objects are watched, and a node created, relabelled, readdressed or deleted changes the rendered {@code weir-h4-}
 * set; an agent that may not list Nodes still starts and enforces.
 */
class NodePeersAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The CRUD dispatcher; while {@link #forbidNodes} is set, every Node request gets 403 (RBAC without nodes). */
    private static final class Dispatcher extends KubernetesMixedDispatcher {
        volatile boolean forbidNodes;

        Dispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
            super(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (forbidNodes && request.getPath().startsWith("/api/v1/nodes")) {
                return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"message\":\"nodes is forbidden: User \\\"system:serviceaccount:"
                        + "kube-system:weir\\\" cannot list resource \\\"nodes\\\" in API group \\\"\\\" at the "
                        + "cluster scope\",\"reason\":\"Forbidden\",\"code\":403}");
            }
            return super.dispatch(request);
        }
    }

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final Dispatcher dispatcher = new Dispatcher(responses);
    private KubernetesMockServer server;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private final TestingDataplane dataplane = new TestingDataplane();
    private NodeAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        // ClusterNetworkPolicy served as an installed CRD would be (discovery lists it, CRUD stores it)
        server.expect().get().withPath("/apis/policy.networking.k8s.io/v1alpha2").andReturn(200, "{\"kind\":"
                + "\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"policy.networking.k8s.io/v1alpha2\","
                + "\"resources\":[{\"name\":\"clusternetworkpolicies\",\"singularName\":\"clusternetworkpolicy\","
                + "\"namespaced\":false,\"kind\":\"ClusterNetworkPolicy\",\"verbs\":[\"create\",\"delete\",\"get\","
                + "\"list\",\"patch\",\"update\",\"watch\"]}]}").always();
        server.expectCustomResource(new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withPlural("clusternetworkpolicies")
                .withKind("ClusterNetworkPolicy").withScope("Cluster").build());
        kube = server.createClient();
        agentClient = server.createClient(b -> b.editOrNewConfig().withWatchReconnectInterval(100)
                .withWatchReconnectLimit(-1).withRequestRetryBackoffInterval(50).withRequestRetryBackoffLimit(2)
                .withConnectionTimeout(1000).withRequestTimeout(2000).endConfig());
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(Serialization.unmarshal("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: deny-infra-nodes}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {}}
                  egress:
                  - {action: Deny, to: [{nodes: {matchLabels: {role: infra}}}]}
                """, ClusterNetworkPolicy.class)).create();
    }

    @AfterEach
    void tearDown() throws Exception {
        Closing.inOrder(agent, agentClient, kube, () -> {
            try {
                server.destroy();
            } catch (IllegalStateException slowShutdown) {
                // "Unable to close MockWebServer": the port is released regardless
            }
        });
    }

    private void startAgent() throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1));
        agent = NodeAgent.start(config, agentClient, new AgentParts(ObjectTranslator.standard(),
                (g, n, l) -> IptablesRenderer.render(g, n, RenderOptions.defaults(), l), dataplane,
                RejectionReporter.NONE, System::nanoTime));
    }

    private static Node node(String name, String role, String... addresses) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(role == null ? Map.of() : labels("role", role)).endMetadata()
                .withNewStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus();
        for (String a : addresses) {
            b.editStatus().addNewAddress().withType("InternalIP").withAddress(a).endAddress().endStatus();
        }
        return b.build();
    }

    /** The members of the ruleset's one IPv4 node set, or null when it has none. */
    private static List<String> nodeSet(Ruleset r) {
        List<IpSetSpec> sets = r.sets().stream().filter(s -> s.name().startsWith("weir-h4-")).toList();
        assertThat(sets).as("node sets in %s", r.sets()).hasSizeLessThanOrEqualTo(1);
        return sets.isEmpty() ? null : sets.get(0).members();
    }

    private void awaitNodeSet(String... members) throws InterruptedException {
        dataplane.awaitApplied(r -> List.of(members).equals(nodeSet(r)), WAIT);
    }

    @Test
    void nodesCreatedRelabelledReaddressedAndDeletedReachTheRenderedSet() throws Exception {
        kube.resource(node("n1", "worker", "192.168.0.1")).create();
        kube.resource(node("n2", "infra", "192.168.0.2")).create();
        startAgent();
        awaitNodeSet("192.168.0.2");
        assertThat(dataplane.last().v4().chains().stream().flatMap(c -> c.rules().stream())
                .filter(rule -> rule.spec().contains("--match-set weir-h4-"))).singleElement()
                .satisfies(rule -> assertThat(rule.spec()).endsWith("dst -j MARK --set-xmark 0x200000/0x200000"));

        kube.resource(node("n3", null, "192.168.0.3")).create();
        kube.resource(node("n3", "infra", "192.168.0.3")).update();
        awaitNodeSet("192.168.0.2", "192.168.0.3");

        kube.resource(node("n2", "infra", "192.168.0.22", "fd00::22")).update();
        awaitNodeSet("192.168.0.22", "192.168.0.3");

        kube.resource(node("n2", "worker", "192.168.0.22")).update();
        awaitNodeSet("192.168.0.3");

        kube.nodes().withName("n3").delete();
        awaitNodeSet();
        assertThat(agent.health().ready()).isTrue();
    }

    @Test
    void anAgentThatMayNotListNodesStillStartsEnforcesAndPicksNodesUpOnceAllowed() throws Exception {
        kube.resource(node("n2", "infra", "192.168.0.2")).create();
        dispatcher.forbidNodes = true;
        startAgent();
        // the cluster policy is enforced, its nodes peer matching no node: an empty set, not a missing one
        awaitNodeSet();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!agent.health().ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.health()).isEqualTo(Health.ok());

        dispatcher.forbidNodes = false;
        awaitNodeSet("192.168.0.2");
    }
}
