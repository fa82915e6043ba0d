package dev.weir.controller;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.AgentParts;
import dev.weir.agent.MockCluster;
import dev.weir.agent.NodeAgent;
import dev.weir.agent.ObjectTranslator;
import dev.weir.agent.RejectionReporter;
import dev.weir.agent.ReportSettings;
import dev.weir.agent.TestingDataplane;
import dev.weir.agent.TestingRenderer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A mock API server in CRUD mode (ClusterNetworkPolicy served) with node agents in this JVM (testing dataplanes) and
 * controller replicas, each with its own client, all closed in reverse order of start.
 */
final class ControllerFixture implements AutoCloseable {

    /** Short enough for a test of hand-over, long enough for a loaded 2-core machine to renew in time. */
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofMillis(250);

    final MockCluster cluster;
    final KubernetesClient kube;
    private final List<AutoCloseable> open = new ArrayList<>();

    ControllerFixture() throws Exception {
        cluster = new MockCluster();
        cluster.serveClusterNetworkPolicies();
        kube = cluster.newClient();
    }

    /** A node agent for {@code node} applying to {@code dataplane} (no kernel), with the default report settings. */
    NodeAgent agent(String node, TestingDataplane dataplane) throws Exception {
        return agent(node, dataplane, ReportSettings.defaults());
    }

    /** A node agent for {@code node} applying to {@code dataplane}, reporting as {@code report} says. */
    NodeAgent agent(String node, TestingDataplane dataplane, ReportSettings report) throws Exception {
        KubernetesClient client = cluster.newClient();
        open.add(client);
        AgentConfig config = AgentConfig.defaults(node).withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1)).withReport(report);
        NodeAgent agent = NodeAgent.start(config, client, new AgentParts(ObjectTranslator.standard(),
                new TestingRenderer(), dataplane, RejectionReporter.NONE, System::nanoTime));
        open.add(agent);
        return agent;
    }

    /**
     * A controller replica named {@code identity}, with its own client, connected through its own proxy (returned
     * too, to cut it off).
     */
    Replica controller(String identity) throws Exception {
        return controller(identity, c -> c);
    }

    /** As above, with {@code settings} applied to the test's configuration. */
    Replica controller(String identity, java.util.function.UnaryOperator<ControllerConfig> settings)
            throws Exception {
        CuttableProxy proxy = new CuttableProxy(cluster.port());
        open.add(proxy);
        KubernetesClient client = cluster.newClientVia(proxy.port());
        open.add(client);
        ControllerConfig config = settings.apply(ControllerConfig.defaults("kube-system", identity).withHttpPort(-1)
                .withLease(LeaseSettings.defaults("kube-system", identity).withTiming(LEASE, RENEW, RETRY)));
        WeirController controller = WeirController.start(config, client);
        open.add(controller);
        return new Replica(controller, proxy);
    }

    record Replica(WeirController controller, CuttableProxy proxy) {
    }

    /** Waits up to {@code timeout} for {@code condition}; false when it never held. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(open);
        java.util.Collections.reverse(reversed);
        reversed.add(kube);
        reversed.add(cluster);
        dev.weir.agent.Closing.inOrder(reversed.toArray(AutoCloseable[]::new));
    }
}
