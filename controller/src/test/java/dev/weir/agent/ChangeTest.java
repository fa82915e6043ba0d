package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.ClusterEvent;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.Tier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The coalescing key of a recorded change: one per object, never shared across kinds. */
class ChangeTest {

    private static final Endpoint POD = new Endpoint("dev", "web", Map.of("app", "web"),
            List.of(IpAddress.parse("10.0.0.1")), "n1", false, PodPhase.RUNNING, List.of());
    private static final NetworkPolicy POLICY = new NetworkPolicy("dev", "web", LabelSelector.all(), List.of(),
            List.of(), List.of());
    private static final ClusterPolicy CLUSTER_POLICY = new ClusterPolicy("web", Tier.ADMIN, 10,
            new ClusterPolicySubject.Namespaces(LabelSelector.all()), List.of(), List.of());

    static Stream<Arguments> kinds() {
        return Stream.of(
                kind("namespace", new ClusterEvent.Upserted(new Namespace("dev", Map.of())),
                        new ClusterEvent.Deleted(ObjectKey.namespace("dev")), "Namespace dev"),
                kind("pod", new ClusterEvent.Upserted(POD), new ClusterEvent.Deleted(ObjectKey.pod("dev", "web")),
                        "Pod dev/web"),
                kind("NetworkPolicy", new ClusterEvent.Upserted(POLICY),
                        new ClusterEvent.Deleted(ObjectKey.networkPolicy("dev", "web")), "NetworkPolicy dev/web"),
                kind("ClusterNetworkPolicy", new ClusterEvent.Upserted(CLUSTER_POLICY),
                        new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy("web")), "ClusterNetworkPolicy web"),
                kind("node", new ClusterEvent.Upserted(new Node("n1", Map.of(), List.of())),
                        new ClusterEvent.Deleted(ObjectKey.node("n1")), "Node n1"));
    }

    private static Arguments kind(String name, ClusterEvent upsert, ClusterEvent delete, String key) {
        return Arguments.of(Named.of(name, upsert), delete, key);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anUpsertAndADeleteOfOneObjectShareTheKeyOfItsKind(ClusterEvent upsert, ClusterEvent delete, String key) {
        assertThat(new Change.Event(upsert).key()).hasToString(key);
        assertThat(new Change.Event(delete).key()).isEqualTo(new Change.Event(upsert).key());
    }

    @Test
    void aRejectionTakesTheKeyOfItsPolicyAndLeavesItOutAsADelete() {
        Change.PolicyRejected namespaced = new Change.PolicyRejected(rejection(ObjectKey.networkPolicy("dev", "web")));
        Change.PolicyRejected clusterScoped = new Change.PolicyRejected(rejection(CLUSTER_POLICY.key()));

        assertThat(namespaced.key()).isEqualTo(ObjectKey.networkPolicy("dev", "web"));
        assertThat(namespaced.asDelete()).isEqualTo(new ClusterEvent.Deleted(ObjectKey.networkPolicy("dev", "web")));
        assertThat(clusterScoped.key()).isEqualTo(ObjectKey.clusterNetworkPolicy("web"));
        assertThat(clusterScoped.asDelete()).isEqualTo(new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy("web")));
    }

    @Test
    void objectsOfDifferentKindsWithOneNameStaySeparate() {
        PendingChanges pending = new PendingChanges(() -> 0L);
        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.namespace("web"))));
        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.node("web"))));
        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy("web"))));
        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.networkPolicy("web", "web"))));
        pending.record(new Change.Event(new ClusterEvent.Deleted(ObjectKey.pod("web", "web"))));

        assertThat(pending.drain()).hasSize(5);
    }

    @Test
    void aBurstToOneObjectBecomesItsLatestChangeTimedFromTheFirst() {
        AtomicLong now = new AtomicLong(100);
        PendingChanges pending = new PendingChanges(now::get);
        Change rejected = new Change.PolicyRejected(rejection(ObjectKey.networkPolicy("dev", "web")));
        Change deleted = new Change.Event(new ClusterEvent.Deleted(ObjectKey.networkPolicy("dev", "web")));

        pending.record(new Change.Event(new ClusterEvent.Upserted(POLICY)));
        now.set(200);
        pending.record(rejected);
        now.set(300);
        pending.record(deleted);

        assertThat(pending.drain()).containsExactly(new PendingChanges.Entry(deleted, 100));
    }

    private static Rejection rejection(ObjectKey ref) {
        return new Rejection(ref, "uid-1", "g1", List.of(new Diagnostic(ref, "spec", "invalid")));
    }
}
