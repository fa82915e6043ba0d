package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps {@link ObjectTrimmer} copies instead of the objects as listed and watched
 * (fabric8's equivalent of a client-go informer transform; set with {@code SharedIndexInformer.itemStore} before
 * start). Keys are fabric8's ({@code namespace/name}), so the informer and the watchdog's {@code deleteVanished}
 * see the same keys as with the stock store.
 *
 * <p>What reaches the agent's handlers: events from a watch carry the full object; the adds of an informer's first
 * list are read back from the store, so they carry the trimmed copy, and so do the objects of a FULL resync
 * ({@link ClusterInformers#cached()}) and the deletes a re-list or the watchdog infers. Both translate the same
 * ({@link ObjectTrimmer}'s contract).
 */
public final class TrimmedItemStore<T extends HasMetadata> implements ItemStore<T> {

    private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> trim;

    private TrimmedItemStore(UnaryOperator<T> trim) {
        this.trim = trim;
    }

    /**
     * A store keeping what {@code trim} returns for each object put: a trimmed copy (the agent's stores), or the object
     * itself trimmed in place (the controller's policies, {@code PolicyStore}).
     */
    public static <T extends HasMetadata> ItemStore<T> of(UnaryOperator<T> trim) {
        return new TrimmedItemStore<>(trim);
    }

    public static ItemStore<Namespace> namespaces() {
        return new TrimmedItemStore<>(ObjectTrimmer::namespace);
    }

    public static ItemStore<Pod> pods() {
        return new TrimmedItemStore<>(ObjectTrimmer::pod);
    }

    public static ItemStore<NetworkPolicy> networkPolicies() {
        return new TrimmedItemStore<>(ObjectTrimmer::networkPolicy);
    }

    public static ItemStore<Node> nodes() {
        return new TrimmedItemStore<>(ObjectTrimmer::node);
    }

    public static ItemStore<dev.weir.crd.ClusterNetworkPolicy> clusterPolicies() {
        return new TrimmedItemStore<>(ObjectTrimmer::clusterPolicy);
    }

    @Override
    public String getKey(T obj) {
        return items.getKey(obj);
    }

    @Override
    public T put(String key, T obj) {
        return items.put(key, trim.apply(obj));
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<T> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }
}
