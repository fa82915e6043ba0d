package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's informers and their caches — the one copy of the cluster's objects the agent keeps (trimmed, see
 * {@link TrimmedItemStore}) — with the watchdog that replaces an informer left without a live watch, and the rule
 * that a refused (403) list of Nodes counts as no nodes. Pods (all namespaces), Namespaces, NetworkPolicies and Nodes
 * from {@link #start}; ClusterNetworkPolicies once discovery says they are served ({@link #clusterPoliciesServed}). Every
 * event goes to the {@link Handler} on fabric8's threads.
 */
final class ClusterInformers implements AutoCloseable {

    /** What informer events go to: the latest state of an object, or its removal. Must not block. */
    interface Handler {

        void upserted(HasMetadata object);

        void deleted(HasMetadata object);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterInformers.class);

    /**
     * Objects per list request (client-go's reflector uses the same page). fabric8 otherwise lists a kind in one
     * response, and until it is cached that list holds every full object: ~350 MiB for 10,000 realistic pods
     * (docs/benchmarks.md, "Agent memory"), more than the chart's default heap, even though the cache keeps a tenth.
     */
    static final long LIST_PAGE = 500;

    /** How long an informer may go without a live watch before it is replaced (and so re-lists). */
    static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Handler handler;
    private final SyncTrigger trigger;
    private final Duration stallLimit;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-watchdog");
        t.setDaemon(true);
        return t;
    });
    private Watched<?> namespaces;
    private Watched<?> pods;
    private Watched<?> policies;
    private Watched<?> nodes;
    /** Set when listing Nodes was refused (403): until a list succeeds, the Node cache counts as synced and empty. */
    private volatile boolean nodesForbidden;
    private volatile Watched<?> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    /** Set once the four informers above exist; other threads (HTTP, sync) read them only after it. */
    private volatile boolean started;
    private volatile boolean closed;

    ClusterInformers(KubernetesClient client, Handler handler, SyncTrigger trigger, Duration stallLimit) {
        this.client = client;
        this.handler = handler;
        this.trigger = trigger;
        this.stallLimit = stallLimit;
    }

    /** Starts the informers without waiting for them to sync (the pacer holds every apply until they have). */
    void start() {
        namespaces = new Watched<>(informer(client::namespaces, TrimmedItemStore::namespaces), false);
        pods = new Watched<>(informer(() -> client.pods().inAnyNamespace(), TrimmedItemStore::pods), false);
        policies = new Watched<>(informer(() -> client.network().v1().networkPolicies().inAnyNamespace(),
                TrimmedItemStore::networkPolicies), false);
        nodes = new Watched<>(informer(client::nodes, TrimmedItemStore::nodes), true);
        started = true;
        long period = Math.max(100, stallLimit.toMillis() / 4);
        watchdog.scheduleWithFixedDelay(this::checkWatches, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Discovery's answer. Until it comes the caches count as unsynced: a first apply without a cluster-wide Deny would
     * open what that Deny closes.
     */
    void clusterPoliciesServed(boolean served) {
        if (served && !closed) {
            clusterPolicies = new Watched<>(informer(() -> client.resources(dev.weir.crd.ClusterNetworkPolicy.class),
                    TrimmedItemStore::clusterPolicies), false);
        }
        clusterPoliciesDecided = true;
        trigger.poke();
    }

    /**
     * How every informer of the agent is made, the watchdog's replacements too: it lists in pages of
     * {@link #LIST_PAGE}, so a (re-)list never holds every full object of a kind at once, and caches trimmed copies in
     * a fresh store (full objects took ~90% of the heap).
     */
    private static <T extends HasMetadata> Supplier<SharedIndexInformer<T>> informer(
            Supplier<? extends Informable<T>> kind, Supplier<ItemStore<T>> store) {
        return () -> kind.get().withLimit(LIST_PAGE).runnableInformer(0).itemStore(store.get());
    }

    /**
     * The watchdog. fabric8 re-watches by itself after a dropped connection, but an informer can end up never
     * watching again: after a re-list whose first WebSocket watch fails without an HTTP status, fabric8 switches that
     * informer to plain HTTP streaming watches for good, and a server (or proxy) that serves only WebSocket watches
     * answers them 400 forever. An informer that has listed but had no live watch for {@code stallLimit} is
     * therefore replaced by a fresh one, which lists (catching up with everything that changed meanwhile) and
     * watches again; objects that vanished meanwhile become deletes once the new one has listed. While the API
     * server stays away the fresh one retries its list (fabric8's backoff); the caches count as unsynced then, so
     * nothing is applied and the rules stay.
     */
    private void checkWatches() {
        try {
            for (Watched<?> w : all()) {
                if (!closed) {
                    w.check(System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("watchdog check failed", e);
        }
    }

    /** One kind's informer, replaceable by the watchdog. */
    private final class Watched<T extends HasMetadata> {
        private final Supplier<SharedIndexInformer<T>> factory;
        /** Whether a 403 means "none of this kind" (Nodes) rather than a failure to retry like any other. */
        private final boolean forbiddenMeansNone;
        private volatile SharedIndexInformer<T> current;
        private long notWatchingSince = -1;

        Watched(Supplier<SharedIndexInformer<T>> factory, boolean forbiddenMeansNone) {
            this.factory = factory;
            this.forbiddenMeansNone = forbiddenMeansNone;
            this.current = start(factory.get(), () -> { });
        }

        SharedIndexInformer<T> informer() {
            return current;
        }

        String kind() {
            return current.getApiTypeClass().getSimpleName();
        }

        void check(long now) {
            if (isWatching(current) || !current.hasSynced()) {
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
                if (forbiddenMeansNone && isForbidden(t)) {
                    listForbidden(); // it warns once; the retries go on quietly, so a later grant takes effect
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
                    trigger.poke();
                }
            });
            return informer;
        }
    }

    /**
     * Listing Nodes was refused (403: the agent's ClusterRole lacks nodes). Node objects only feed ClusterNetworkPolicy
     * {@code nodes} peers, so the agent does not wait for them: it warns once and enforces as if there were no nodes
     * (a {@code nodes} peer matches nothing) until a retried list succeeds.
     */
    private void listForbidden() {
        if (!nodesForbidden) {
            nodesForbidden = true;
            LOG.warn("listing Nodes is forbidden (the agent's ClusterRole needs get, list and watch on nodes); "
                    + "ClusterNetworkPolicy nodes peers match no node until it may, retrying in the background");
            trigger.poke();
        }
    }

    private static boolean isForbidden(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() == 403) {
                return true;
            }
        }
        return false;
    }

    /**
     * The informers whose cache counts: the Node informer not while its list is forbidden and it has never listed;
     * the ClusterNetworkPolicy informer once discovery found it served.
     */
    private List<Watched<?>> counted() {
        List<Watched<?>> out = new ArrayList<>(List.of(namespaces, pods, policies));
        if (!nodesForbidden || nodes.informer().hasSynced()) {
            out.add(nodes);
        }
        Watched<?> cnp = clusterPolicies;
        if (cnp != null) {
            out.add(cnp);
        }
        return out;
    }

    private List<Watched<?>> all() {
        List<Watched<?>> out = new ArrayList<>();
        for (Watched<?> w : new Watched<?>[] {namespaces, pods, policies, nodes, clusterPolicies}) {
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** True once every informer has listed its objects: before that, no apply may run. */
    boolean synced() {
        return unsyncedKinds().isEmpty();
    }

    /** The kinds whose informer has not listed yet (for {@code /readyz}'s reason), in a fixed order. */
    List<String> unsyncedKinds() {
        if (!started) {
            return List.of("Namespace", "Pod", "NetworkPolicy", "Node");
        }
        List<String> out = new ArrayList<>();
        for (Watched<?> w : counted()) {
            if (!w.informer().hasSynced()) {
                out.add(w.kind());
            }
        }
        if (!clusterPoliciesDecided) {
            out.add(ClusterPolicyDiscovery.KIND);
        }
        return out;
    }

    /** Whether every informer currently has a live watch (false while the API server is unreachable). */
    boolean watching() {
        return started && counted().stream().allMatch(w -> isWatching(w.informer()));
    }

    /** fabric8 8.0.0's {@code isWatching} can throw (NPE in Reflector) while a watch is replaced: not watching. */
    private static boolean isWatching(SharedIndexInformer<?> informer) {
        try {
            return informer.isWatching();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every object in the caches (trimmed copies): the input of a full resync. */
    List<HasMetadata> cached() {
        List<HasMetadata> out = new ArrayList<>();
        for (Watched<?> w : all()) {
            out.addAll(w.informer().getStore().list());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        for (Watched<?> w : all()) {
            w.informer().stop();
        }
    }
}
