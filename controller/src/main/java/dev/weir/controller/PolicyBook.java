package dev.weir.controller;

import dev.weir.agent.Change;
import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.ClusterState;
import dev.weir.agent.ObjectTranslator;
import dev.weir.agent.Rejection;
import dev.weir.graph.ClusterEvent;
import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The controller's view of the policies, owned by its reconcile thread: each NetworkPolicy and ClusterNetworkPolicy
 * as last seen (the informer's object, not a copy) and the verdict on it. The verdict is the node agents' own: the
 * object goes through their {@link ChangeTranslator} (a rejection or a model record with caveats) into their
 * {@link ClusterState}, which also rejects a policy whose compilation throws. The state holds policies only, no pods:
 * a policy's verdict depends on the policy alone.
 */
final class PolicyBook {

    /**
     * What weir makes of one policy version: accepted, with {@code diagnostics} as caveats, or rejected, with
     * {@code rejection} saying why.
     */
    record Verdict(ObjectKey key, HasMetadata object, Optional<Rejection> rejection, List<Diagnostic> caveats) {

        boolean accepted() {
            return rejection.isEmpty();
        }

        /** The diagnostics the verdict names: the errors of a rejection, else the caveats. */
        List<Diagnostic> diagnostics() {
            return rejection.map(Rejection::diagnostics).orElse(caveats);
        }
    }

    private final ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
    private final ClusterState state = new ClusterState();
    private final SortedMap<ObjectKey, HasMetadata> objects = new TreeMap<>();
    private final Map<ObjectKey, List<Diagnostic>> caveats = new TreeMap<>();

    /** The policy's latest version: translated as the agents translate it. */
    void upsert(HasMetadata object) {
        ChangeTranslator.Translation t = translator.upsert(object);
        ObjectKey key = t.change().key();
        objects.put(key, object);
        caveats.put(key, t.change() instanceof Change.Event ? t.diagnostics() : List.of());
        state.apply(t.change());
    }

    void delete(ObjectKey key) {
        objects.remove(key);
        caveats.remove(key);
        state.apply(new Change.Event(new ClusterEvent.Deleted(key)));
    }

    /** The verdict on the policy under {@code key}, or empty when there is none. */
    Optional<Verdict> verdict(ObjectKey key) {
        HasMetadata object = objects.get(key);
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(key, object, Optional.ofNullable(state.rejections().get(key)),
                caveats.getOrDefault(key, List.of())));
    }

    /** Every policy's key, in key order. */
    List<ObjectKey> keys() {
        return List.copyOf(objects.keySet());
    }

    Map<ObjectKey, HasMetadata> objects() {
        return Collections.unmodifiableSortedMap(objects);
    }

    int size() {
        return objects.size();
    }

    int rejected() {
        return state.rejections().size();
    }
}
