package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.report.RulesetHash;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.report.EnforcedPolicy;
import dev.weir.crd.report.NodePolicyReport;
import dev.weir.crd.report.NodePolicyReportStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node report against fabric8's mock API server in CRUD mode, serving the NodePolicyReport CRD with its status
 * subresource: what the agent applied is what its report says, within the report interval, in few writes.
 */
class NodeReportAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String STATUS_PUT = "PUT /apis/weir.dev/v1alpha1/nodepolicyreports/n1/status";

    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private final TestingDataplane dataplane = new TestingDataplane();
    private NodeAgent agent;
    private Node node;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        cluster.serveClusterNetworkPolicies();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
        node = kube.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
                .create();
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        kube.resource(allowFrom("dev", "db-from-web", "db", "web")).create(); // selects only n2's pod
        kube.resource(cnp("deny-metadata", 10)).create(); // selects every pod
    }

    @AfterEach
    void tearDown() throws Exception {
        Closing.inOrder(agent, agentClient, kube, cluster);
    }

    private void startAgent(ReportSettings report) throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1)).withReport(report);
        agent = NodeAgent.start(config, agentClient, new AgentParts(ObjectTranslator.standard(),
                new TestingRenderer(), dataplane, RejectionReporter.NONE, System::nanoTime));
    }

    private static ReportSettings every(Duration interval, Duration heartbeat) {
        return ReportSettings.defaults().withIntervals(interval, heartbeat);
    }

    @Test
    void afterAnApplyTheReportListsExactlyThePoliciesSelectingTheNodesPodsWithUidAndGeneration() throws Exception {
        cluster.serveNodeReports();
        startAgent(every(Duration.ofSeconds(1), Duration.ofSeconds(60)));

        NodePolicyReport report = awaitReport(s -> s.policyCount() != null && s.policyCount() == 2);

        NetworkPolicy np = kube.network().v1().networkPolicies().inNamespace("dev").withName("web-from-db").get();
        ClusterNetworkPolicy cnp = kube.resources(ClusterNetworkPolicy.class).withName("deny-metadata").get();
        NodePolicyReportStatus s = report.getStatus();
        assertThat(s.policies()).extracting(EnforcedPolicy::kind, EnforcedPolicy::namespace, EnforcedPolicy::name,
                EnforcedPolicy::uid, EnforcedPolicy::generation).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ClusterNetworkPolicy", null, "deny-metadata",
                        cnp.getMetadata().getUid(), cnp.getMetadata().getGeneration()),
                org.assertj.core.groups.Tuple.tuple("NetworkPolicy", "dev", "web-from-db",
                        np.getMetadata().getUid(), np.getMetadata().getGeneration()));
        assertThat(np.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(s.lastAppliedTime()).isNotNull();
        assertThat(Instant.parse(s.lastHeartbeatTime())).isAfterOrEqualTo(Instant.parse(s.lastAppliedTime()));
        assertThat(s.rulesetHash()).isEqualTo(RulesetHash.of(dataplane.last()));
        assertThat(s.agentVersion()).isEqualTo(AgentVersion.get()).isNotEqualTo("unknown");
        assertThat(s.heartbeatIntervalSeconds()).isEqualTo(60);
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.lastFailure()).isNull();

        // owned by its Node, so that the garbage collector deletes it with the node
        assertThat(report.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getApiVersion()).isEqualTo("v1");
            assertThat(o.getKind()).isEqualTo("Node");
            assertThat(o.getName()).isEqualTo("n1");
            assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid());
        });
        // written through the status subresource: a create with the CRD served drops the status
        assertThat(cluster.takeRequests()).contains(STATUS_PUT);
    }

    @Test
    void anUpdateBumpsTheGenerationInTheReportWithinTheInterval() throws Exception {
        cluster.serveNodeReports();
        Duration interval = Duration.ofSeconds(2);
        startAgent(every(interval, Duration.ofSeconds(60)));
        awaitReport(s -> generationOf(s, "web-from-db") == 1L);

        kube.resource(allowFrom("dev", "web-from-db", "web", "cache")).update();
        dataplane.awaitApplied(r -> TestingRenderer.text(r).contains("app in (cache)"), WAIT);
        long applied = System.nanoTime();
        NodePolicyReport report = awaitReport(s -> generationOf(s, "web-from-db") == 2L);
        Duration took = Duration.ofNanos(System.nanoTime() - applied);

        assertThat(took).as("from the apply to the report").isLessThan(interval.plusSeconds(1));
        assertThat(report.getStatus().policies()).filteredOn(p -> p.name().equals("web-from-db")).singleElement()
                .satisfies(p -> assertThat(Instant.parse(p.appliedTime()))
                        .isAfterOrEqualTo(Instant.parse(report.getMetadata().getCreationTimestamp())));
    }

    @Test
    void aBurstOfTwentyAppliesIsAtMostTwoWritesInAnInterval() throws Exception {
        cluster.serveNodeReports();
        Duration interval = Duration.ofSeconds(4);
        startAgent(every(interval, Duration.ofSeconds(60)));
        awaitReport(s -> generationOf(s, "web-from-db") == 1L);
        Thread.sleep(interval.toMillis()); // the next change is written at once
        cluster.takeRequests();
        int appliesBefore = dataplane.applyCount();

        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            kube.resource(allowFrom("dev", "web-from-db", "web", "client-" + i)).update(); // generation 2 … 21
            Thread.sleep(60);
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - start);
        awaitReport(s -> generationOf(s, "web-from-db") == 21L);
        Duration untilReported = Duration.ofNanos(System.nanoTime() - start);

        assertThat(burst).as("the burst fits in one interval").isLessThan(interval);
        assertThat(dataplane.applyCount() - appliesBefore).as("applies").isGreaterThanOrEqualTo(10);
        assertThat(cluster.takeRequests()).filteredOn(STATUS_PUT::equals).as("status writes")
                .hasSizeLessThanOrEqualTo(2);
        assertThat(untilReported).as("the last generation is out one interval after the first write")
                .isLessThan(interval.plusSeconds(2));
    }

    @Test
    void aFailedApplyIsReportedWithItsErrorAndTheRecoveryEndsTheFailing() throws Exception {
        cluster.serveNodeReports();
        startAgent(every(Duration.ofMillis(500), Duration.ofSeconds(60)));
        awaitReport(s -> s.policyCount() != null && s.policyCount() == 2);

        dataplane.failNext(2);
        kube.resource(allowFrom("dev", "web-from-db", "web", "cache")).update();
        NodePolicyReport failing = awaitReport(s -> s.consecutiveFailures() != null && s.consecutiveFailures() > 0);
        assertThat(failing.getStatus().lastFailure().message()).isEqualTo(
                "java.lang.IllegalStateException: injected apply failure");
        assertThat(Instant.parse(failing.getStatus().lastFailure().time()))
                .isAfter(Instant.parse(failing.getStatus().lastAppliedTime()));
        assertThat(generationOf(failing.getStatus(), "web-from-db")).as("the kernel kept generation 1").isEqualTo(1L);

        NodePolicyReport recovered = awaitReport(s -> s.consecutiveFailures() == 0
                && generationOf(s, "web-from-db") == 2L);
        assertThat(recovered.getStatus().lastFailure()).as("on record").isNotNull();
        assertThat(Instant.parse(recovered.getStatus().lastAppliedTime()))
                .isAfter(Instant.parse(recovered.getStatus().lastFailure().time()));
    }

    @Test
    void anUnchangedReportIsWrittenAgainEveryHeartbeat() throws Exception {
        cluster.serveNodeReports();
        Duration heartbeat = Duration.ofSeconds(2);
        startAgent(every(Duration.ofMillis(500), heartbeat));
        NodePolicyReportStatus first = awaitReport(s -> s.policyCount() != null && s.policyCount() == 2).getStatus();

        List<NodePolicyReportStatus> beats = new ArrayList<>(List.of(first));
        while (beats.size() < 4) {
            Instant last = Instant.parse(beats.get(beats.size() - 1).lastHeartbeatTime());
            beats.add(awaitReport(r -> Instant.parse(r.lastHeartbeatTime()).isAfter(last)).getStatus());
        }
        for (int i = 1; i < beats.size(); i++) {
            assertThat(beats.get(i).policies()).isEqualTo(first.policies());
            Duration gap = Duration.between(Instant.parse(beats.get(i - 1).lastHeartbeatTime()),
                    Instant.parse(beats.get(i).lastHeartbeatTime()));
            assertThat(gap).as("heartbeat less at most a tenth of jitter, plus a loaded machine's delay")
                    .isBetween(Duration.ofMillis(1800), heartbeat.plusSeconds(1));
        }
        // (the agent's first syncs may follow each other; a newer lastAppliedTime rides along with the next beat)
        assertThat(beats.subList(1, 4)).extracting(NodePolicyReportStatus::lastAppliedTime).as("no apply in between")
                .containsOnly(beats.get(1).lastAppliedTime());
    }

    @Test
    void aReportDeletedByHandIsCreatedAgainOwnedByTheNode() throws Exception {
        cluster.serveNodeReports();
        startAgent(every(Duration.ofMillis(500), Duration.ofSeconds(60)));
        awaitReport(s -> s.policyCount() != null && s.policyCount() == 2);

        kube.resources(NodePolicyReport.class).withName("n1").delete();
        kube.resource(allowFrom("dev", "web-from-db", "web", "cache")).update();

        NodePolicyReport again = awaitReport(s -> generationOf(s, "web-from-db") == 2L);
        assertThat(again.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()));
    }

    @Test
    void withoutTheCrdTheAgentKeepsEnforcingAndAsksAgainOnlyEveryHeartbeat() throws Exception {
        cluster.refuseNodeReports("n1");
        startAgent(every(Duration.ofMillis(200), Duration.ofSeconds(60)));
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);
        awaitMetric(() -> agent.metrics().reportWriteErrors.get() >= 1);

        kube.resource(allowFrom("dev", "web-from-db", "web", "cache")).update();
        dataplane.awaitApplied(r -> TestingRenderer.text(r).contains("app in (cache)"), WAIT);
        Thread.sleep(1_000);

        assertThat(agent.health().ready()).isTrue();
        assertThat(agent.metrics().reportWrites.get()).isZero();
        assertThat(cluster.takeRequests()).filteredOn(r -> r.startsWith("POST /apis/weir.dev/"))
                .as("one create refused, the next attempt a heartbeat later").hasSize(1);
    }

    @Test
    void offMeansNotARequestForReports() throws Exception {
        cluster.serveNodeReports();
        startAgent(ReportSettings.off());
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);
        Thread.sleep(500);

        assertThat(cluster.takeRequests()).noneMatch(r -> r.contains("/apis/weir.dev/"));
        assertThat(kube.resources(NodePolicyReport.class).withName("n1").get()).isNull();
    }

    private static long generationOf(NodePolicyReportStatus s, String name) {
        return s.policies().stream().filter(p -> p.name().equals(name)).map(EnforcedPolicy::generation).findFirst()
                .orElse(-1L);
    }

    /** The report once its status satisfies {@code condition}; fails with the last one seen. */
    private NodePolicyReport awaitReport(Predicate<NodePolicyReportStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        NodePolicyReport last = null;
        while (System.nanoTime() < deadline) {
            last = kube.resources(NodePolicyReport.class).withName("n1").get();
            if (last != null && last.getStatus() != null && condition.test(last.getStatus())) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no report matched within " + WAIT + "; last: "
                + (last == null ? "(none)" : io.fabric8.kubernetes.client.utils.Serialization.asYaml(last)));
    }

    private static void awaitMetric(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("metric condition not met within " + WAIT);
            }
            Thread.sleep(20);
        }
    }
}
