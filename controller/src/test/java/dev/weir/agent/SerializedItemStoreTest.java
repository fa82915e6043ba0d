package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Namespace, NetworkPolicy and Node caches hold JSON bytes and hand back exactly the trimmed object they were
 * given, for every case {@link ObjectTrimmerTest} translates (so what it holds of trimmed objects holds of cached
 * ones), and hold ordinary objects as bytes.
 */
class SerializedItemStoreTest {

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Namespace>> namespaces() {
        return ObjectTrimmerTest.namespaces();
    }

    static java.util.stream.Stream<org.junit.jupiter.api.Named<NetworkPolicy>> policies() {
        return ObjectTrimmerTest.policies();
    }

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Node>> nodes() {
        return ObjectTrimmerTest.nodes();
    }

    @ParameterizedTest
    @MethodSource("namespaces")
    void aCachedNamespaceIsItsTrimmedCopy(Namespace full) {
        assertRoundTrip(SerializedItemStore.namespaces(), full, ObjectTrimmer::namespace);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aCachedPolicyIsItsTrimmedCopy(NetworkPolicy full) {
        assertRoundTrip(SerializedItemStore.networkPolicies(), full, ObjectTrimmer::networkPolicy);
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void aCachedNodeIsItsTrimmedCopy(Node full) {
        assertRoundTrip(SerializedItemStore.nodes(), full, ObjectTrimmer::node);
    }

    @Test
    void realisticObjectsAreHeldAsBytes() {
        SerializedItemStore<NetworkPolicy> policies = (SerializedItemStore<NetworkPolicy>) SerializedItemStore
                .networkPolicies();
        IntStream.range(0, 40).mapToObj(i -> RealisticObjects.policy(i, 10)).forEach(p -> policies.put(
                policies.getKey(p), p));
        assertThat(policies.serializedCount()).isEqualTo(40);
        SerializedItemStore<Node> nodes = (SerializedItemStore<Node>) SerializedItemStore.nodes();
        RealisticObjects.nodes(5).forEach(n -> nodes.put(nodes.getKey(n), n));
        assertThat(nodes.serializedCount()).isEqualTo(5);
    }

    @Test
    void theStoreReturnsThePreviousVersionAsFabric8sProcessorStoreReadsIt() {
        ItemStore<NetworkPolicy> store = SerializedItemStore.networkPolicies();
        NetworkPolicy v1 = RealisticObjects.policy(1, 10);
        String key = store.getKey(v1);
        assertThat(store.put(key, v1)).isNull();
        NetworkPolicy v2 = RealisticObjects.policy(1, 10);
        v2.getMetadata().setResourceVersion("999");
        assertThat(store.put(key, v2).getMetadata().getResourceVersion())
                .isEqualTo(v1.getMetadata().getResourceVersion());
        assertThat(store.remove(key)).isEqualTo(ObjectTrimmer.networkPolicy(v2));
        assertThat(store.get(key)).isNull();
        assertThat(store.size()).isZero();
    }

    private static <T extends HasMetadata> void assertRoundTrip(ItemStore<T> store, T full, UnaryOperator<T> trim) {
        String key = store.getKey(full);
        store.put(key, full);
        assertThat(store.get(key)).isEqualTo(trim.apply(full));
        assertThat(store.values()).singleElement().isEqualTo(trim.apply(full));
    }
}
