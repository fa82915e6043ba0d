package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.ObjectTranslator;
import dev.weir.agent.RealisticObjects;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyStoreTest {

    @Test
    void aPolicyAsKubectlAppliedItIsKeptWithoutItsCopyAndManagedFields() {
        NetworkPolicy applied = RealisticObjects.policy(7, 10);
        assertThat(applied.getMetadata().getManagedFields()).isNotEmpty();
        assertThat(applied.getMetadata().getAnnotations()).containsKey(PolicyStore.LAST_APPLIED);
        CacheImpl<NetworkPolicy> cache = new CacheImpl<>();
        cache.setItemStore(PolicyStore.create());

        cache.put(applied);

        NetworkPolicy kept = cache.getByKey(cache.getKey(applied));
        assertThat(kept).isSameAs(applied); // the informer hands this very object to the handler: one copy
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).doesNotContainKey(PolicyStore.LAST_APPLIED);
        assertThat(kept.getMetadata().getUid()).isNotNull();
        assertThat(kept.getMetadata().getResourceVersion()).isNotNull();
        assertThat(kept.getMetadata().getGeneration()).isNotNull();
    }

    @Test
    void otherAnnotationsStayAndTheTranslationIsTheFullObjects() {
        NetworkPolicy full = RealisticObjects.policy(3, 10);
        full.getMetadata().setAnnotations(Map.of(PolicyStore.LAST_APPLIED, "{}", EnforcementSummary.ANNOTATION,
                "2/2 nodes, generation 1")); // unmodifiable, as a caller may give it
        NetworkPolicy copy = new NetworkPolicyBuilder(full).build();
        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        var before = translator.upsert(copy);

        PolicyStore.<NetworkPolicy>create().put("ns3/p", full);

        assertThat(full.getMetadata().getAnnotations()).containsOnlyKeys(EnforcementSummary.ANNOTATION);
        assertThat(translator.upsert(full)).isEqualTo(before);
    }
}
