package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps each object trimmed ({@link ObjectTrimmer}) and then as its JSON bytes, and
 * parses it back (and trims it again) on a read. A trimmed NetworkPolicy as fabric8 objects costs ≈ 2.4 KB (every model
 * object of its spec carries its own empty {@code additionalProperties} map and list fields); its JSON ≈ 0.4 KB. At
 * 50,000 policies that is ≈ 110 MiB against ≈ 25 MiB (docs/benchmarks.md, "Agent memory"). Lossless or not at all: an
 * object whose bytes do not read back equal to its trimmed copy (a null where the parser would give an empty list) is
 * kept as the trimmed copy. A read parses: ≈ tens of µs an object, paid by a FULL resync (every object once) and by
 * each watch event (the previous version, for its resourceVersion). Pods have their own, cheaper form
 * ({@link CompactPodStore}). Keys are fabric8's ({@code namespace/name}, or {@code name}).
 */
public final class SerializedItemStore<T extends HasMetadata> implements ItemStore<T> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Map<String, Object> items = new ConcurrentHashMap<>();
    private final Class<T> type;
    private final UnaryOperator<T> trim;

    private SerializedItemStore(Class<T> type, UnaryOperator<T> trim) {
        this.type = type;
        this.trim = trim;
    }

    public static ItemStore<Namespace> namespaces() {
        return new SerializedItemStore<>(Namespace.class, ObjectTrimmer::namespace);
    }

    public static ItemStore<NetworkPolicy> networkPolicies() {
        return new SerializedItemStore<>(NetworkPolicy.class, ObjectTrimmer::networkPolicy);
    }

    public static ItemStore<Node> nodes() {
        return new SerializedItemStore<>(Node.class, ObjectTrimmer::node);
    }

    /** Objects of {@code type} kept as {@code trim} leaves them (the controller's node reports). */
    public static <T extends HasMetadata> ItemStore<T> of(Class<T> type, UnaryOperator<T> trim) {
        return new SerializedItemStore<>(type, trim);
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        T trimmed = trim.apply(obj);
        return read(items.put(key, compact(trimmed)));
    }

    /** The bytes of {@code trimmed} when they read back equal to it, else {@code trimmed} itself. */
    private Object compact(T trimmed) {
        try {
            byte[] bytes = JSON.asJson(trimmed).getBytes(StandardCharsets.UTF_8);
            return trimmed.equals(parse(bytes)) ? bytes : trimmed;
        } catch (RuntimeException e) { // whatever a malformed object does to the serializer: keep it as it is
            return trimmed;
        }
    }

    @Override
    public T remove(String key) {
        return read(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(this::read);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return read(items.get(key));
    }

    /** How many objects are held as bytes (the others as trimmed objects); for the tests. */
    long serializedCount() {
        return items.values().stream().filter(byte[].class::isInstance).count();
    }

    private T read(Object held) {
        if (held == null) {
            return null;
        }
        return held instanceof byte[] b ? parse(b) : type.cast(held);
    }

    private T parse(byte[] bytes) {
        return trim.apply(JSON.unmarshal(new ByteArrayInputStream(bytes), type));
    }
}
