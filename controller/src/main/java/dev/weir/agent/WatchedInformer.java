package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind's fabric8 informer, replaceable by {@link InformerWatchdog}: every weir process that watches the cluster (the
 * node agent's {@link ClusterInformers}, the controller) holds its kinds as these. Events go to a {@link Handler} on
 * fabric8's threads. fabric8 re-watches by itself after a dropped connection, but an informer can end up never
 * watching again: after a re-list whose first WebSocket watch fails without an HTTP status, fabric8 switches that
 * informer to plain HTTP streaming watches for good, and a server (or proxy) that serves only WebSocket watches
 * answers them 400 forever. An informer that has listed but had no live watch for the stall limit is therefore
 * replaced by a fresh one, which lists (catching up with everything that changed meanwhile) and watches again;
 * objects that vanished meanwhile become deletes once the new one has listed. While the API server stays away the
 * fresh one retries its list (fabric8's backoff) and {@link #hasSynced()} is false.
 */
public final class WatchedInformer<T extends HasMetadata> {

    /** What informer events go to: the latest state of an object, or its removal. Must not block. */
    public interface Handler {

        void upserted(HasMetadata object);

        void deleted(HasMetadata object);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WatchedInformer.class);

    /**
     * Objects per list request (client-go's reflector uses the same page). fabric8 otherwise lists a kind in one
     * response, and until it is cached that list holds every full object: ~350 MiB for 10,000 realistic pods
     * (docs/benchmarks.md, "Agent memory"), more than the chart's default heap, even though the cache keeps a tenth.
     */
    public static final long LIST_PAGE = 500;

    private final Supplier<SharedIndexInformer<T>> factory;
    private final Handler handler;
    private final Runnable synced;
    private final Runnable forbidden;
    private volatile SharedIndexInformer<T> current;
    private long notWatchingSince = -1;

    /**
     * Starts the first informer at once.
     *
     * @param factory   a fresh, unstarted informer each time (see {@link #paged})
     * @param synced    run each time an informer of this kind has listed (a poke of whoever waits for the caches)
     * @param forbidden run when a list or watch is refused with 403, which then counts as "none of this kind" for the
     *                  owner to decide; null: a 403 is a failure like any other, logged and retried
     */
    public WatchedInformer(Supplier<SharedIndexInformer<T>> factory, Handler handler, Runnable synced,
            Runnable forbidden) {
        this.factory = factory;
        this.handler = handler;
        this.synced = synced;
        this.forbidden = forbidden;
        this.current = start(factory.get(), () -> { });
    }

    /**
     * How every informer of weir is made, the watchdog's replacements too: it lists in pages of {@link #LIST_PAGE},
     * so a (re-)list never holds every full object of a kind at once, and caches into a fresh {@code store} (the
     * agent's trimmed and compact copies; full objects took ~90% of its heap).
     */
    public static <T extends HasMetadata> Supplier<SharedIndexInformer<T>> paged(
            Supplier<? extends Informable<T>> kind, Supplier<ItemStore<T>> store) {
        // No namespace index: nothing of weir looks objects up by namespace in the caches, and the index held a second
        // key string and a set entry for every object (≈ 120 bytes a pod; docs/benchmarks.md, "Agent memory").
        return () -> kind.get().withLimit(LIST_PAGE).runnableInformer(0).removeNamespaceIndex()
                .itemStore(store.get());
    }

    public SharedIndexInformer<T> informer() {
        return current;
    }

    public String kind() {
        return current.getApiTypeClass().getSimpleName();
    }

    public boolean hasSynced() {
        return current.hasSynced();
    }

    /** Whether the informer has a live watch now; fabric8 8.0.0's {@code isWatching} can throw while a watch is replaced. */
    public boolean watching() {
        try {
            return current.isWatching();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The cached objects. */
    public List<T> list() {
        return current.getStore().list();
    }

    /**
     * Hands each cached object to {@code action}, read one at a time: the caches hold compact forms
     * ({@link CompactPodStore}, {@link SerializedItemStore}) and {@link #list()} would hold every object of the kind
     * read back at once (≈ 3 KB a pod: 450 MiB at 150,000 pods).
     */
    public void forEach(java.util.function.Consumer<? super T> action) {
        for (String key : current.getStore().listKeys()) {
            T o = current.getStore().getByKey(key);
            if (o != null) { // deleted since the keys were listed
                action.accept(o);
            }
        }
    }

    /** The cached object under fabric8's store key ({@code namespace/name}, or {@code name}), or null. */
    public T get(String key) {
        return current.getStore().getByKey(key);
    }

    /** The watchdog's look at this informer at {@code now} (nanos): replaces it after {@code stallLimit} unwatched. */
    void check(long now, Duration stallLimit) {
        if (watching() || !current.hasSynced()) {
            // Watching, or not listed yet: fabric8 retries a failed list with backoff itself, and replacing the
            // informer would only restart a list that may be about to succeed.
            notWatchingSince = -1;
            return;
        }
        if (notWatchingSince < 0) {
            notWatchingSince = now;
            return;
        }
        if (now - notWatchingSince < stallLimit.toNanos()) {
            return;
        }
        notWatchingSince = now;
        SharedIndexInformer<T> old = current;
        LOG.warn("{} informer has had no live watch for {}; replacing it (re-list, then watch)", kind(),
                Durations.format(stallLimit));
        old.stop();
        SharedIndexInformer<T> fresh = factory.get();
        current = start(fresh, () -> deleteVanished(old, fresh));
    }

    /** Objects the old cache held and the fresh list lacks were deleted while the watch was away. */
    private void deleteVanished(SharedIndexInformer<T> old, SharedIndexInformer<T> fresh) {
        Set<String> now = new HashSet<>(fresh.getStore().listKeys());
        for (T o : old.getStore().list()) {
            if (!now.contains(old.getStore().getKey(o))) {
                handler.deleted(o);
            }
        }
    }

    private SharedIndexInformer<T> start(SharedIndexInformer<T> informer, Runnable onSynced) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                handler.upserted(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                handler.upserted(newObj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                handler.deleted(obj);
            }
        });
        informer.exceptionHandler((running, t) -> {
            if (forbidden != null && isForbidden(t)) {
                forbidden.run(); // the owner warns once; the retries go on quietly, so a later grant takes effect
                LOG.debug("watch of {} forbidden, retrying with backoff: {}", kind(), t.toString());
            } else {
                LOG.warn("watch of {} failed, retrying with backoff: {}", kind(), t.toString());
            }
            return true;
        });
        informer.start().whenComplete((ok, err) -> {
            if (err == null) {
                LOG.info("{} cache synced", informer.getApiTypeClass().getSimpleName());
                onSynced.run();
                synced.run();
            }
        });
        return informer;
    }

    public void stop() {
        current.stop();
    }

    private static boolean isForbidden(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() == 403) {
                return true;
            }
        }
        return false;
    }
}
