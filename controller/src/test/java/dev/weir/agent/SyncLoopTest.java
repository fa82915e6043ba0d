package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.ClusterEvent;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The loop without an API server: changes fed straight to the recorder, time stepped by hand where it matters. */
class SyncLoopTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean synced = new AtomicBoolean(true);
    private final PendingChanges pending = new PendingChanges(now::get);
    private final TestingDataplane dataplane = new TestingDataplane();
    private final AgentMetrics metrics = new AgentMetrics();
    private final List<Rejection> reported = new ArrayList<>();
    private final List<Change> cache = new ArrayList<>();
    private RulesetRenderer renderer = new TestingRenderer();
    private final SyncWorker worker = new SyncWorker("n1", pending, new ClusterState(), () -> List.copyOf(cache),
            (g, n, l) -> renderer.render(g, n, l), dataplane, reported::add, metrics, now::get);
    private final SyncLoop loop = new SyncLoop("n1",
            new Pacer(Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofSeconds(60)), worker,
            new SyncTrigger(), pending, synced::get, now::get);

    private static Endpoint pod(String name, String ip, String app) {
        return new Endpoint("dev", name, Map.of("app", app), List.of(IpAddress.parse(ip)), "n1", false,
                PodPhase.RUNNING, List.of());
    }

    private static NetworkPolicy policy(String name, String target, String from) {
        return new NetworkPolicy("dev", name, LabelSelector.matchLabels(Map.of("app", target)), List.of(),
                List.of(new Rule(List.of(new Peer.Pods(null, LabelSelector.matchLabels(Map.of("app", from)))),
                        List.of())), List.of());
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Steps the loop until it has nothing due now; returns how many syncs ran. */
    private int runDue() {
        int runs = 0;
        while (loop.step() == 0) {
            runs++;
        }
        return runs;
    }

    @Test
    void fiveThousandEventsWithinOneIntervalBecomeOneApply() {
        cache.add(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(policy("web", "web", "db"))));
        runDue();
        int before = dataplane.applyCount();

        for (int i = 0; i < 5000; i++) { // 2,500 pods, each added and then relabelled
            Endpoint pod = pod("p" + (i % 2500), "10.1." + (i % 2500) / 250 + "." + (i % 250 + 1),
                    i < 2500 ? "web" : "db");
            pending.record(new Change.Event(new ClusterEvent.Upserted(pod)));
        }
        assertThat(runDue()).as("runs before the minimum interval has passed").isZero();
        advance(Duration.ofMillis(500));
        assertThat(runDue()).isEqualTo(1);

        assertThat(dataplane.applyCount() - before).isEqualTo(1);
        assertThat(TestingRenderer.lines(dataplane.last()))
                .anyMatch(l -> l.startsWith("group ns:dev/pods:app in (db) = ") && l.contains(" 10.1.9.250"));
        assertThat(metrics.eventToApply.getCount()).isEqualTo(2500); // latest change per pod, timed from its first event
        assertThat(metrics.eventToApply.getSum()).isEqualTo(2500 * 0.5);
    }

    @Test
    void theDenialLogHearsOfARulesetBeforeTheKernelTakesItAndOfTheSyncOnceItIsDone() {
        List<String> told = new ArrayList<>();
        Dataplane recording = new Dataplane() {
            @Override
            public ApplyResult apply(dev.weir.iptables.render.Ruleset desired) throws Exception {
                told.add("kernel takes " + desired.hashCode());
                return dataplane.apply(desired);
            }

            @Override
            public DriftReport check(dev.weir.iptables.render.Ruleset desired) {
                return dataplane.check(desired);
            }

            @Override
            public Revocation revoke(dev.weir.graph.PolicyGraph graph, String node) {
                told.add("revoke");
                return dataplane.revoke(graph, node);
            }
        };
        AppliedRulesetListener listener = new AppliedRulesetListener() {
            @Override
            public void applied(AppliedSync applied) {
                told.add("applied " + applied.ruleset().hashCode());
            }

            @Override
            public void failed(String error) {
                told.add("failed");
            }

            @Override
            public void applying(dev.weir.graph.PolicyGraph graph, dev.weir.iptables.render.Ruleset ruleset) {
                told.add("applying " + ruleset.hashCode());
            }
        };
        SyncWorker w = new SyncWorker("n1", pending, new ClusterState(), () -> List.copyOf(cache),
                (g, n, l) -> renderer.render(g, n, l), recording, reported::add, metrics, now::get,
                LocalNetworkSource.NONE, listener);
        cache.add(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(policy("web", "web", "db"))));

        assertThat(w.run(SyncKind.FULL)).isTrue();
        int first = dataplane.last().hashCode();
        assertThat(told).containsExactly("applying " + first, "kernel takes " + first, "revoke", "applied " + first);

        told.clear();
        dataplane.failNext(1);
        pending.record(new Change.Event(new ClusterEvent.Upserted(pod("web-1", "10.1.0.1", "web"))));
        assertThat(w.run(SyncKind.CHANGES)).isFalse();
        assertThat(told).as("a ruleset that failed to apply is announced, never applied").hasSize(3)
                .satisfies(t -> assertThat(t.get(0)).startsWith("applying "))
                .satisfies(t -> assertThat(t.get(1)).startsWith("kernel takes "))
                .satisfies(t -> assertThat(t.get(2)).isEqualTo("failed"));
    }

    @Test
    void everyApplyIsFollowedByARevocationAndAFailedOneLeavesTheSyncSuccessful() {
        cache.add(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(policy("web", "web", "db"))));
        runDue();
        assertThat(dataplane.applyCount()).isEqualTo(1);
        assertThat(dataplane.revocations()).isEqualTo(1);
        assertThat(metrics.flowsExamined.get()).isEqualTo(3);
        assertThat(metrics.flowsRevoked.get()).isEqualTo(1);

        pending.record(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        advance(Duration.ofMillis(500));
        runDue();
        assertThat(dataplane.revocations()).as("a sync that applies nothing revokes nothing").isEqualTo(1);

        dataplane.failRevocations(true);
        pending.record(new Change.Event(new ClusterEvent.Upserted(pod("web-1", "10.1.0.1", "web"))));
        advance(Duration.ofMillis(500));
        runDue();
        assertThat(dataplane.applyCount()).isEqualTo(2);
        assertThat(worker.lastError()).as("the rules are in; only the revocation failed").isNull();
        assertThat(metrics.applyErrors.get()).isZero();
    }

    @Test
    void nothingIsAppliedUntilSyncedAndThenTheFirstApplyIsFull() {
        synced.set(false);
        cache.add(new Change.Event(new ClusterEvent.Upserted(policy("web", "web", "web"))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.1", "web"))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(pod("b", "10.0.0.2", "web"))));
        pending.record(new Change.Event(new ClusterEvent.Upserted(pod("b", "10.0.0.2", "web"))));
        advance(Duration.ofSeconds(10));
        runDue();
        assertThat(dataplane.applyCount()).isZero();

        synced.set(true);
        runDue();
        assertThat(dataplane.applyCount()).isEqualTo(1);
        assertThat(TestingRenderer.text(dataplane.last())).contains("10.0.0.1", "10.0.0.2");
    }

    @Test
    void aBatchThatLeavesTheGraphAsItWasIsNeitherRenderedNorApplied() {
        cache.add(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(policy("web", "web", "web"))));
        cache.add(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.1", "web"))));
        runDue();
        java.util.concurrent.atomic.AtomicInteger renders = new java.util.concurrent.atomic.AtomicInteger();
        renderer = (g, n, l) -> {
            renders.incrementAndGet();
            return new TestingRenderer().render(g, n, l);
        };

        advance(Duration.ofMillis(500));
        pending.record(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.1", "web")))); // the same pod
        assertThat(runDue()).isEqualTo(1);
        assertThat(renders).hasValue(0);
        assertThat(dataplane.applyCount()).isEqualTo(1);
        assertThat(metrics.eventToApply.getCount()).as("the unchanged pod counts as applied").isEqualTo(1);

        advance(Duration.ofMillis(500));
        pending.record(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.9", "web"))));
        runDue();
        assertThat(renders).hasValue(1);
        assertThat(TestingRenderer.text(dataplane.last())).contains("10.0.0.9");
    }

    @Test
    void aRendererBugIsCountedAndTheLoopCarriesOn() {
        renderer = (g, n, l) -> {
            throw new IllegalStateException("renderer bug");
        };
        runDue();
        assertThat(metrics.applyErrors.getLongValue()).isEqualTo(1);
        assertThat(loop.lastSyncSucceeded()).isFalse();
        assertThat(worker.lastError()).contains("renderer bug");

        renderer = new TestingRenderer();
        advance(Duration.ofMillis(500));
        runDue();
        assertThat(loop.lastSyncSucceeded()).isTrue();
        assertThat(dataplane.applyCount()).isEqualTo(1);
    }

    @Test
    void driftIsCheckedPeriodicallyAndRepairedByReapplying() {
        cache.add(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.1", "web"))));
        runDue();
        dataplane.driftOnce("chain WEIR-TEST missing");

        advance(Duration.ofSeconds(59));
        runDue();
        assertThat(dataplane.checks()).isZero();
        advance(Duration.ofSeconds(1));
        runDue();

        assertThat(dataplane.checks()).isEqualTo(1);
        assertThat(metrics.driftRepairs.getLongValue()).isEqualTo(1);
        assertThat(dataplane.applied()).hasSize(2).allMatch(r -> r.equals(dataplane.applied().get(0)));
    }

    @Test
    void aPeriodicResyncTakesTheCachesAsTruthEvenWithoutEvents() {
        cache.add(new Change.Event(new ClusterEvent.Upserted(pod("a", "10.0.0.1", "web"))));
        runDue();
        cache.clear(); // an event that was missed: the pod is gone from the cache but no delete arrived

        advance(Duration.ofMinutes(5));
        runDue();

        assertThat(TestingRenderer.text(dataplane.last())).doesNotContain("10.0.0.1");
    }

    @Test
    void aRejectedPolicyIsReportedOncePerVersion() {
        Rejection v1 = new Rejection(ObjectKey.networkPolicy("dev", "bad"), "uid-1", "g1",
                List.of(new Diagnostic(ObjectKey.networkPolicy("dev", "bad"), "spec.ingress[0].from[0].ipBlock.cidr",
                        "invalid CIDR \"10.0.0.0/33\"")));
        cache.add(new Change.PolicyRejected(v1));
        runDue();
        pending.record(new Change.PolicyRejected(v1));
        advance(Duration.ofSeconds(1));
        runDue();
        assertThat(reported).containsExactly(v1);
        assertThat(metrics.policiesRejected.get()).isEqualTo(1);

        Rejection v2 = new Rejection(v1.object(), "uid-1", "g2", v1.diagnostics());
        pending.record(new Change.PolicyRejected(v2));
        cache.set(0, new Change.PolicyRejected(v2));
        advance(Duration.ofSeconds(1));
        runDue();
        assertThat(reported).containsExactly(v1, v2);

        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.networkPolicy("dev", "bad"))));
        cache.clear();
        advance(Duration.ofSeconds(1));
        runDue();
        assertThat(metrics.policiesRejected.get()).isZero();
    }

}
