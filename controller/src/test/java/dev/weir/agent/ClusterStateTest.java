package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.PolicyCompiler;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incrementally kept graph must always equal a full compile of the same state; rejections leave policies out. */
class ClusterStateTest {

    @Test
    void incrementalGraphEqualsAFullCompileThroughChangesDeletesAndResyncs() {
        List<Change> all = AgentLatencyBenchmark.bulk(); // 100 namespaces, 10,000 pods, 1,000 policies
        List<Change> bulk = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Change c = all.get(i);
            boolean podUpsert = c instanceof Change.Event e && e.event() instanceof ClusterEvent.Upserted
                    && c.key().kind() == ObjectKey.Kind.POD;
            if (!podUpsert || i % 7 == 0) {
                bulk.add(c);
            }
        }
        ClusterState state = new ClusterState();
        state.replaceAll(bulk);
        assertThat(state.graph()).isEqualTo(PolicyCompiler.compile(snapshotOf(bulk)));

        Random random = new Random(7);
        List<Change> shuffled = new ArrayList<>(bulk);
        for (int round = 0; round < 5; round++) {
            java.util.Collections.shuffle(shuffled, random);
            List<Change> subset = shuffled.subList(0, bulk.size() / 2 + random.nextInt(bulk.size() / 2));
            assertThat(state.replaceAll(subset)).isTrue();
            assertThat(state.graph()).isEqualTo(PolicyCompiler.compile(snapshotOf(subset)));
            assertThat(state.replaceAll(subset)).as("an idle resync changes nothing").isFalse();
        }
    }

    @Test
    void theRendererHearsWhatEachChangingEventDidToTheGraphAndNothingOfTheOthers() {
        ClusterState state = new ClusterState();
        List<dev.weir.graph.GraphDelta> heard = new ArrayList<>();
        state.onGraphChange(heard::add);
        Namespace dev = new Namespace("dev", Map.of());
        NetworkPolicy all = new NetworkPolicy("dev", "all", LabelSelector.all(), List.of(), List.of(), List.of());

        state.apply(new Change.Event(new ClusterEvent.Upserted(dev)));
        state.apply(new Change.Event(new ClusterEvent.Upserted(all)));
        state.apply(new Change.Event(new ClusterEvent.Upserted(dev)));
        state.replaceAll(List.of(new Change.Event(new ClusterEvent.Upserted(dev))));

        assertThat(heard).hasSize(3);
        assertThat(heard.get(1).policiesAdded()).containsExactly("dev/all");
        assertThat(heard.get(2).policiesRemoved()).as("the resync deleted it").containsExactly("dev/all");
    }

    @Test
    void aRejectedPolicyIsLeftOutUntilAValidVersionOrADeleteEndsTheRejection() {
        ObjectKey ref = ObjectKey.networkPolicy("dev", "web");
        Rejection rejection = new Rejection(ref, "uid-1", "g2", List.of(new Diagnostic(ref, "spec", "invalid")));
        NetworkPolicy policy = new NetworkPolicy("dev", "web", LabelSelector.all(), List.of(), List.of(), List.of());
        ClusterState state = new ClusterState();
        state.apply(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        state.apply(new Change.Event(new ClusterEvent.Upserted(policy)));

        assertThat(state.apply(new Change.PolicyRejected(rejection))).isTrue();
        assertThat(state.graph().policies()).isEmpty();
        assertThat(state.rejections()).containsOnlyKeys(ref);
        assertThat(state.apply(new Change.PolicyRejected(rejection))).as("the same rejection again").isFalse();

        assertThat(state.apply(new Change.Event(new ClusterEvent.Upserted(policy)))).isTrue();
        assertThat(state.graph().policies()).containsOnlyKeys("dev/web");
        assertThat(state.rejections()).isEmpty();

        state.apply(new Change.PolicyRejected(rejection));
        assertThat(state.apply(new Change.Event(new ClusterEvent.Deleted(ObjectKey.networkPolicy("dev", "web")))))
                .as("deleting a rejected policy ends its rejection").isTrue();
        assertThat(state.rejections()).isEmpty();
    }

    @Test
    void aResyncThatNoLongerMentionsARejectedClusterPolicyEndsItsRejection() {
        ObjectKey ref = ObjectKey.clusterNetworkPolicy("deny");
        Rejection rejection = new Rejection(ref, "uid-1", "g1", List.of(new Diagnostic(ref, "spec", "invalid")));
        ClusterState state = new ClusterState();
        state.replaceAll(List.of(new Change.PolicyRejected(rejection)));
        assertThat(state.rejections()).containsOnlyKeys(ref);

        assertThat(state.replaceAll(List.of())).isTrue();
        assertThat(state.rejections()).isEmpty();
    }

    @Test
    void policyVersionsFollowUpsertsEvenWhenTheRecordIsTheSame() {
        ObjectKey ref = ObjectKey.networkPolicy("dev", "web");
        NetworkPolicy policy = new NetworkPolicy("dev", "web", LabelSelector.all(), List.of(), List.of(), List.of());
        ClusterState state = new ClusterState();
        state.apply(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))));
        state.apply(new Change.Event(new ClusterEvent.Upserted(policy), new PolicyVersion("uid-1", 1L)));
        assertThat(state.policyVersions()).containsExactly(Map.entry(ref, new PolicyVersion("uid-1", 1L)));

        // a spec change that translates to the same record: no rule changes, but the node now enforces generation 2
        assertThat(state.apply(new Change.Event(new ClusterEvent.Upserted(policy), new PolicyVersion("uid-1", 2L))))
                .isFalse();
        assertThat(state.policyVersions()).containsEntry(ref, new PolicyVersion("uid-1", 2L));

        // a full resync skips the equal record but takes its version
        state.replaceAll(List.of(new Change.Event(new ClusterEvent.Upserted(new Namespace("dev", Map.of()))),
                new Change.Event(new ClusterEvent.Upserted(policy), new PolicyVersion("uid-1", 3L))));
        assertThat(state.policyVersions()).containsEntry(ref, new PolicyVersion("uid-1", 3L));
        var snapshot = state.policyVersions();
        assertThat(state.policyVersions()).as("the same snapshot while nothing changes").isSameAs(snapshot);

        Rejection rejection = new Rejection(ref, "uid-1", "g4", List.of(new Diagnostic(ref, "spec", "invalid")));
        state.apply(new Change.PolicyRejected(rejection));
        assertThat(state.policyVersions()).as("a rejected policy is enforced at no version").isEmpty();

        state.apply(new Change.Event(new ClusterEvent.Upserted(policy), new PolicyVersion("uid-1", 5L)));
        state.apply(new Change.Event(new ClusterEvent.Deleted(ref)));
        assertThat(state.policyVersions()).isEmpty();
    }

    /** The cluster that the upserts among {@code changes} describe: what a full compile should see. */
    private static ClusterSnapshot snapshotOf(List<Change> changes) {
        return ClusterSnapshot.of(changes.stream()
                .map(c -> ((ClusterEvent.Upserted) ((Change.Event) c).event()).object()).toList());
    }
}
