package dev.weir.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Pod informer's item store: each pod trimmed ({@link ObjectTrimmer#pod}) and then held as a {@link CompactPod}
 * (≈ 0.3 KB instead of the trimmed Pod's ≈ 3.1 KB; docs/benchmarks.md, "Agent memory"), or as the trimmed Pod when
 * the compact form cannot hold it exactly. Reads build the trimmed Pod back, so the informer, its handlers and a FULL
 * resync see exactly what {@link TrimmedItemStore} gave them; a read costs a few small allocations, which only the
 * FULL resync (every pod once) and each watch event (the previous version, for its resourceVersion) pay. Keys are
 * fabric8's ({@code namespace/name}).
 */
public final class CompactPodStore implements ItemStore<Pod> {

    private final Map<String, Object> items = new ConcurrentHashMap<>();

    public CompactPodStore() {
    }

    @Override
    public String getKey(Pod obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public Pod put(String key, Pod obj) {
        Pod trimmed = ObjectTrimmer.pod(obj);
        CompactPod compact = CompactPod.of(key, trimmed);
        // the key interned: the policy graph keys the pod by the same string (IncrementalGraph), so they share one copy
        return read(key, items.put(key.intern(), compact != null ? compact : trimmed));
    }

    @Override
    public Pod remove(String key) {
        return read(key, items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<Pod> values() {
        return items.entrySet().stream().map(e -> read(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public Pod get(String key) {
        return read(key, items.get(key));
    }

    /** How many pods are held compact (the others as trimmed Pods); for the benchmark and the tests. */
    long compactCount() {
        return items.values().stream().filter(CompactPod.class::isInstance).count();
    }

    private static Pod read(String key, Object held) {
        if (held == null) {
            return null;
        }
        return held instanceof CompactPod c ? c.pod(key) : (Pod) held;
    }
}
