package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.allowFromTeam;
import static dev.weir.agent.Kube.invalidCidr;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.weir.iptables.render.Ruleset;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent against fabric8's mock API server in CRUD mode: cluster changes must reach the applied ruleset. */
class NodeAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * After the API server returns: re-lists go through the informers' backoff and 2 s request timeouts, which a
     * starved machine stretches; the bound only has to say "it catches up", not how fast.
     */
    private static final Duration RETURN_WAIT = Duration.ofSeconds(30);

    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private TestingDataplane dataplane;
    private NodeAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
        dataplane = new TestingDataplane();
    }

    @AfterEach
    void tearDown() throws Exception {
        // the server's own close tolerates a slow Vert.x shutdown (MockCluster)
        Closing.inOrder(agent, agentClient, kube, cluster);
    }

    private NodeAgent startAgent() throws Exception {
        return startAgent(Duration.ofMillis(50));
    }

    private NodeAgent startAgent(Duration minSyncInterval) throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), minSyncInterval, Duration.ofMinutes(1));
        agent = NodeAgent.start(config, agentClient, new AgentParts(ObjectTranslator.standard(),
                new TestingRenderer(), dataplane, RejectionReporter.NONE, System::nanoTime));
        return agent;
    }

    private void baseline() {
        kube.resource(namespace("dev", "team", "a")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
    }

    private Ruleset awaitLine(String line) throws InterruptedException {
        return awaitLine(line, WAIT);
    }

    private Ruleset awaitLine(String line, Duration wait) throws InterruptedException {
        return dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains(line), wait);
    }

    private Ruleset awaitNoLine(String line) throws InterruptedException {
        return dataplane.awaitApplied(r -> !TestingRenderer.lines(r).contains(line), WAIT);
    }

    private Ruleset awaitLineStarting(String prefix) throws InterruptedException {
        return dataplane.awaitApplied(r -> TestingRenderer.lines(r).stream().anyMatch(l -> l.startsWith(prefix)),
                WAIT);
    }

    @Test
    void firstApplyCarriesTheWholeClusterAsListed() throws Exception {
        baseline();
        startAgent();

        awaitLine("policy dev/web-from-db");
        assertThat(TestingRenderer.lines(dataplane.applied().get(0)))
                .contains("policy dev/web-from-db", "group ns:dev/pods:app in (db) = 10.0.0.2",
                        "local dev/web in=[dev/web-from-db] out=[]");
    }

    @Test
    void everyInformerListsInPagesSoThatAListNeverHoldsAWholeKindAtOnce() throws Exception {
        baseline();
        startAgent();
        awaitLine("policy dev/web-from-db");
        // (the mock ignores limit and answers in one page; that fabric8 follows continue tokens is fabric8's to test)
        assertThat(cluster.takeRequests()).filteredOn(r -> r.startsWith("GET ") && !r.contains("watch=true"))
                .anyMatch(r -> r.startsWith("GET /api/v1/pods?limit=" + WatchedInformer.LIST_PAGE))
                .anyMatch(r -> r.startsWith("GET /api/v1/namespaces?limit=" + WatchedInformer.LIST_PAGE))
                .anyMatch(r -> r.startsWith("GET /api/v1/nodes?limit=" + WatchedInformer.LIST_PAGE))
                .anyMatch(r -> r.startsWith("GET /apis/networking.k8s.io/v1/networkpolicies?limit="
                        + WatchedInformer.LIST_PAGE));
    }

    @Test
    void policyCreateUpdateAndDeleteReachTheRuleset() throws Exception {
        baseline();
        startAgent();
        awaitLine("policy dev/web-from-db");

        kube.resource(allowFrom("dev", "web-from-cache", "web", "cache")).create();
        awaitLine("local dev/web in=[dev/web-from-cache, dev/web-from-db] out=[]");

        kube.resource(allowFrom("dev", "web-from-cache", "web", "queue")).update();
        awaitLineStarting("group ns:dev/pods:app in (queue)");

        kube.resource(allowFrom("dev", "web-from-cache", "web", "queue")).delete();
        awaitLine("local dev/web in=[dev/web-from-db] out=[]");
    }

    @Test
    void podCreateLabelChangeIpChangeAndDeleteReachThePeerSet() throws Exception {
        baseline();
        startAgent();
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.2");

        kube.resource(pod("dev", "db2", "10.0.0.3", "n2", "app", "db")).create();
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.2 10.0.0.3");

        kube.pods().inNamespace("dev").withName("db2").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("app", "cache").endMetadata().build());
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.2");

        kube.pods().inNamespace("dev").withName("db").editStatus(p -> new PodBuilder(p).editStatus()
                .withPodIP("10.0.0.9").withPodIPs(List.of()).addNewPodIP().withIp("10.0.0.9").endPodIP()
                .endStatus().build());
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.9");

        kube.pods().inNamespace("dev").withName("db").delete();
        awaitLine("group ns:dev/pods:app in (db) = ");
    }

    @Test
    void namespaceLabelChangeMovesItsPodsInAndOutOfPeerSets() throws Exception {
        baseline();
        kube.resource(namespace("ops", "team", "b")).create();
        kube.resource(pod("ops", "tool", "10.0.1.1", "n2", "app", "tool")).create();
        kube.resource(allowFromTeam("dev", "web-from-team-a", "web", "a")).create();
        startAgent();
        awaitLineStarting("group nssel:team in (a)/pods: = 10.0.0.1 10.0.0.2");

        kube.namespaces().withName("ops").edit(n -> new io.fabric8.kubernetes.api.model.NamespaceBuilder(n)
                .editMetadata().addToLabels("team", "a").endMetadata().build());
        awaitLine("group nssel:team in (a)/pods: = 10.0.0.1 10.0.0.2 10.0.1.1");

        kube.namespaces().withName("ops").delete();
        awaitLine("group nssel:team in (a)/pods: = 10.0.0.1 10.0.0.2");
    }

    @Test
    void anInvalidPolicyIsLeftOutTheOthersStayEnforcedAndTheAgentWritesNoEvent() throws Exception {
        baseline();
        kube.resource(invalidCidr("dev", "broken")).create();
        startAgent();
        awaitLine("policy dev/web-from-db");

        assertThat(TestingRenderer.lines(dataplane.last())).noneMatch(l -> l.contains("broken"));
        assertThat(agent.metrics().policiesRejected.get()).isEqualTo(1);
        // The PolicyRejected Event is the controller's (one per rejection, not one per node): more syncs of the
        // agent add none.
        kube.resource(pod("dev", "db3", "10.0.0.4", "n2", "app", "db")).create();
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.2 10.0.0.4");
        assertThat(kube.v1().events().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void aBurstOfTwoThousandPodEventsBecomesFewApplies() throws Exception {
        baseline();
        startAgent(Duration.ofMillis(500));
        awaitLine("policy dev/web-from-db");
        awaitQuiet(Duration.ofSeconds(1)); // a sync still pending from start-up would count against the burst's bound
        int before = dataplane.applyCount();
        long start = System.nanoTime();

        // 1,000 creates, then one collection delete that the mock turns into 1,000 DELETE events. (The mock takes
        // ~100 writes/s on a busy 2-core machine; SyncLoopTest feeds 5,000 events straight to the recorder.)
        int n = 1000;
        for (int i = 0; i < n; i++) {
            kube.resource(pod("dev", "p" + i, ip(i), "n2", "app", "db", "burst", "yes")).create();
        }
        kube.pods().inNamespace("dev").withLabel("burst", "yes").delete();
        dataplane.awaitApplied(r -> TestingRenderer.lines(r).contains("group ns:dev/pods:app in (db) = 10.0.0.2")
                && dataplane.applyCount() > before + 1, WAIT);

        int applies = dataplane.applyCount() - before;
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(applies).as("applies for %d events in %d ms", 2 * n, elapsedMs)
                .isLessThanOrEqualTo((int) (elapsedMs / 500) + 2).isLessThan(2 * n / 50);
        // the worker records latencies right after the apply the wait above saw, so give it a moment to finish
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (agent.metrics().eventToApply.getCount() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(agent.metrics().eventToApply.getCount()).as("events measured").isGreaterThanOrEqualTo(n);
    }

    /** Waits until no apply has happened for {@code quiet} (at most {@link #WAIT}). */
    private void awaitQuiet(Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int count = dataplane.applyCount();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            assertThat(System.nanoTime()).as("applies kept coming for %s", WAIT).isLessThan(deadline);
            Thread.sleep(50);
            int now = dataplane.applyCount();
            if (now != count) {
                count = now;
                since = System.nanoTime();
            }
        }
    }

    private static String ip(int i) {
        return "10.1." + (i / 250) + "." + (i % 250 + 1);
    }

    @Test
    void nothingIsAppliedBeforeEveryInformerHasSynced() throws Exception {
        baseline();
        cluster.stop();
        startAgent();
        Thread.sleep(500);
        assertThat(dataplane.applyCount()).isZero();
        assertThat(agent.health().ready()).isFalse();
        assertThat(agent.health().reason()).contains("not synced");

        cluster.start();
        awaitLine("policy dev/web-from-db");
        assertThat(dataplane.applied().get(0).v4().chains().get(0).rules()).hasSizeGreaterThan(1);
    }

    @Test
    void losingTheApiServerKeepsTheRulesAndItsReturnCatchesUp() throws Exception {
        baseline();
        startAgentWithWatchdog();
        awaitLine("policy dev/web-from-db");
        int applies = dataplane.applyCount();

        cluster.stop(); // TOOLCHAIN.md §1: shutdown, then a new server on the same port over the same state
        awaitWatching(false);
        try (MockCluster.SideDoor side = cluster.sideDoor()) {
            side.client().resource(pod("dev", "db2", "10.0.0.3", "n2", "app", "db")).create();
            side.client().pods().inNamespace("dev").withName("db").delete();
        }
        // The mock replays nothing from a resourceVersion, so the pod changes above are only seen through a re-list:
        // wait until the watchdog has replaced the Pod informer (it then lists once the server is back).
        awaitHealth(h -> !h.ready() && h.reason().contains("not synced") && h.reason().contains("Pod"));
        assertThat(dataplane.applyCount()).as("no apply while the API server is gone").isEqualTo(applies);
        assertThat(agent.health().live()).isTrue();

        cluster.start();
        // Made while away: the re-list has db2, and db, missing from it, is deleted.
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.3", RETURN_WAIT);
        awaitWatching(true);
        kube.resource(pod("dev", "db3", "10.0.0.4", "n2", "app", "db")).create();
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.3 10.0.0.4", RETURN_WAIT);
        awaitReady();
    }

    @Test
    void aShortOutageEndsWithEveryInformerWatchingAgain() throws Exception {
        baseline();
        startAgentWithWatchdog();
        awaitLine("policy dev/web-from-db");

        cluster.stop();
        awaitWatching(false);
        cluster.start();
        // A re-list right after the return can leave an informer on HTTP watches the mock cannot serve; the watchdog
        // replaces it (docs/agent.md, "API server outages").
        awaitWatching(true);
        kube.resource(pod("dev", "db2", "10.0.0.3", "n2", "app", "db")).create();
        awaitLine("group ns:dev/pods:app in (db) = 10.0.0.2 10.0.0.3");
    }

    private void startAgentWithWatchdog() throws Exception {
        agent = NodeAgent.start(AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1)), agentClient,
                new AgentParts(ObjectTranslator.standard(), new TestingRenderer(), dataplane,
                        RejectionReporter.NONE, System::nanoTime), Duration.ofSeconds(2));
    }

    private void awaitHealth(java.util.function.Predicate<Health> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!expected.test(agent.health()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.health()).matches(expected);
    }

    private void awaitWatching(boolean expected) throws InterruptedException {
        long deadline = System.nanoTime() + RETURN_WAIT.toNanos();
        while (agent.watching() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.watching()).as("watching").isEqualTo(expected);
    }

    @Test
    void aFailedApplyIsRetriedUntilItSucceeds() throws Exception {
        baseline();
        dataplane.failNext(2);
        startAgent();

        awaitLine("policy dev/web-from-db");
        assertThat(agent.metrics().applyErrors.getLongValue()).isEqualTo(2);
        awaitReady();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + RETURN_WAIT.toNanos();
        while (!agent.health().ready() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(agent.health().ready()).as(agent.health().reason()).isTrue();
    }
}
