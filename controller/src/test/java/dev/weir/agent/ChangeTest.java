package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.ClusterEvent;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.ObjectRef;
import dev.weir.model.PodPhase;
import dev.weir.model.admin.ClusterPolicy;
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
                kind("namespace", new ClusterEvent.NamespaceUpserted(new Namespace("dev", Map.of())),
                        new ClusterEvent.NamespaceDeleted("dev"), "ns:dev"),
                kind("pod", new ClusterEvent.PodUpserted(POD), new ClusterEvent.PodDeleted("dev", "web"),
                        "pod:dev/web"),
                kind("NetworkPolicy", new ClusterEvent.PolicyUpserted(POLICY),
                        new ClusterEvent.PolicyDeleted("dev", "web"), "np:dev/web"),
                kind("ClusterNetworkPolicy", new ClusterEvent.ClusterPolicyUpserted(CLUSTER_POLICY),
                        new ClusterEvent.ClusterPolicyDeleted("web"), "cnp:web"),
                kind("node", new ClusterEvent.NodeUpserted(new Node("n1", Map.of(), List.of())),
                        new ClusterEvent.NodeDeleted("n1"), "node:n1"));
    }

    private static Arguments kind(String name, ClusterEvent upsert, ClusterEvent delete, String key) {
        return Arguments.of(Named.of(name, upsert), delete, key);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anUpsertAndADeleteOfOneObjectShareTheKeyOfItsKind(ClusterEvent upsert, ClusterEvent delete, String key) {
        assertThat(new Change.Event(upsert).key()).isEqualTo(key);
        assertThat(new Change.Event(delete).key()).isEqualTo(key);
    }

    @Test
    void aRejectionTakesTheKeyOfItsPolicyAndLeavesItOutAsADelete() {
        Change.PolicyRejected namespaced = new Change.PolicyRejected(rejection(ObjectRef.networkPolicy("dev", "web")));
        Change.PolicyRejected clusterScoped = new Change.PolicyRejected(rejection(CLUSTER_POLICY.ref()));

        assertThat(namespaced.key()).isEqualTo("np:dev/web");
        assertThat(namespaced.asDelete()).isEqualTo(new ClusterEvent.PolicyDeleted("dev", "web"));
        assertThat(clusterScoped.key()).isEqualTo("cnp:web");
        assertThat(clusterScoped.asDelete()).isEqualTo(new ClusterEvent.ClusterPolicyDeleted("web"));
    }

    @Test
    void objectsOfDifferentKindsWithOneNameStaySeparate() {
        PendingChanges pending = new PendingChanges(() -> 0L);
        pending.record(new Change.Event(new ClusterEvent.NamespaceDeleted("web")));
        pending.record(new Change.Event(new ClusterEvent.NodeDeleted("web")));
        pending.record(new Change.Event(new ClusterEvent.ClusterPolicyDeleted("web")));
        pending.record(new Change.Event(new ClusterEvent.PolicyDeleted("web", "web")));
        pending.record(new Change.Event(new ClusterEvent.PodDeleted("web", "web")));

        assertThat(pending.drain()).hasSize(5);
    }

    @Test
    void aBurstToOneObjectBecomesItsLatestChangeTimedFromTheFirst() {
        AtomicLong now = new AtomicLong(100);
        PendingChanges pending = new PendingChanges(now::get);
        Change rejected = new Change.PolicyRejected(rejection(ObjectRef.networkPolicy("dev", "web")));
        Change deleted = new Change.Event(new ClusterEvent.PolicyDeleted("dev", "web"));

        pending.record(new Change.Event(new ClusterEvent.PolicyUpserted(POLICY)));
        now.set(200);
        pending.record(rejected);
        now.set(300);
        pending.record(deleted);

        assertThat(pending.drain()).containsExactly(new PendingChanges.Entry(deleted, 100));
    }

    private static Rejection rejection(ObjectRef ref) {
        return new Rejection(ref, "uid-1", "g1", List.of(new Diagnostic(ref, "spec", "invalid")));
    }
}
