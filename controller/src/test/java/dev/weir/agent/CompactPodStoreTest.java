package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.ModelTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Pod cache holds compact pods and hands back exactly the trimmed Pod it was given (so everything
 * {@link ObjectTrimmerTest} holds of trimmed pods holds of cached ones), and holds ordinary pods compact.
 */
class CompactPodStoreTest {

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Pod>> pods() {
        return ObjectTrimmerTest.pods();
    }

    @ParameterizedTest
    @MethodSource("pods")
    void aCachedPodIsTheTrimmedPodItWasGiven(Pod full) {
        CompactPodStore store = new CompactPodStore();
        String key = store.getKey(full);
        assertThat(store.put(key, full)).isNull();
        Pod cached = store.get(key);
        assertThat(cached).isEqualTo(ObjectTrimmer.pod(full));
        assertThat(ModelTranslator.pod(cached)).isEqualTo(ModelTranslator.pod(full));
        assertThat(Cache.metaNamespaceKeyFunc(cached)).isEqualTo(key);
        assertThat(store.values()).singleElement().isEqualTo(cached);
    }

    @Test
    void realisticPodsAreHeldCompact() {
        CompactPodStore store = new CompactPodStore();
        IntStream.range(0, 300).mapToObj(i -> RealisticObjects.pod(i, 10, 4)).forEach(p -> store.put(store.getKey(p), p));
        assertThat(store.size()).isEqualTo(300);
        assertThat(store.compactCount()).isEqualTo(300);
    }

    @Test
    void whatTheCompactFormCannotHoldExactlyIsKeptAsTheTrimmedPod() {
        CompactPodStore store = new CompactPodStore();
        List<Pod> odd = List.of(
                pod("uid: not-a-uuid, resourceVersion: \"7\""),
                pod("uid: 0e0d5d2a-1b7c-4c51-9d55-6f1f0b6f8a11, resourceVersion: \"007\""),
                pod("uid: 0E0D5D2A-1B7C-4C51-9D55-6F1F0B6F8A11, resourceVersion: \"7\""),
                pod("uid: 0e0d5d2a-1b7c-4c51-9d55-6f1f0b6f8a11, resourceVersion: \"7\", "
                        + "creationTimestamp: \"2026-05-01T12:00:00.5Z\""));
        for (Pod p : odd) {
            String key = store.getKey(p);
            store.put(key, p);
            assertThat(store.get(key)).isEqualTo(ObjectTrimmer.pod(p));
            store.remove(key);
        }
        assertThat(store.compactCount()).isZero();
    }

    @Test
    void theStoreReturnsThePreviousVersionAsFabric8sProcessorStoreReadsIt() {
        CompactPodStore store = new CompactPodStore();
        Pod v1 = RealisticObjects.pod(0, 10, 4);
        String key = store.getKey(v1);
        store.put(key, v1);
        Pod v2 = new PodBuilder(v1).editMetadata().withResourceVersion("999").addToLabels("app", "other").endMetadata()
                .build();
        // fabric8's ProcessorStore compares the returned previous version's resourceVersion to decide on an update
        assertThat(store.put(key, v2).getMetadata().getResourceVersion())
                .isEqualTo(v1.getMetadata().getResourceVersion());
        assertThat(store.get(key).getMetadata().getLabels()).containsEntry("app", "other");
        assertThat(store.remove(key)).isEqualTo(ObjectTrimmer.pod(v2));
        assertThat(store.size()).isZero();
        assertThat(store.get(key)).isNull();
    }

    @Test
    void replicasShareTheirLabelsAndPortsWhileTheirOwnFieldsStayApart() {
        CompactPodStore store = new CompactPodStore();
        Pod a = pod("name: web-a, uid: 0e0d5d2a-1b7c-4c51-9d55-6f1f0b6f8a11, resourceVersion: \"7\"");
        Pod b = pod("name: web-b, uid: 0e0d5d2a-1b7c-4c51-9d55-6f1f0b6f8a12, resourceVersion: \"8\"");
        store.put(store.getKey(a), a);
        store.put(store.getKey(b), b);
        assertThat(store.get("dev/web-a")).isEqualTo(ObjectTrimmer.pod(a));
        assertThat(store.get("dev/web-b")).isEqualTo(ObjectTrimmer.pod(b));
        assertThat(store.compactCount()).isEqualTo(2);
    }

    private static Pod pod(String meta) {
        String m = meta.contains("name:") ? meta : "name: web, " + meta;
        return Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {namespace: dev, labels: {app: web, tier: fe}, %s}
                spec: {nodeName: n1, containers: [{name: a, image: x, ports: [{name: http, containerPort: 80}]}]}
                status: {phase: Running, podIP: 10.0.0.5, podIPs: [{ip: 10.0.0.5}]}
                """.formatted(m), Pod.class);
    }
}
