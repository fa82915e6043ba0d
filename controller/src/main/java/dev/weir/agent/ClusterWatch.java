package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's informers: Pods (all namespaces), Namespaces, NetworkPolicies and Nodes (for ClusterNetworkPolicy
 * {@code nodes} peers; an agent not allowed to list them warns once and runs as if there were none, see
 * {@link #nodeListForbidden}). Handlers only translate, record the
 * latest change per object and poke the trigger; the sync thread does the rest. Informers retry forever after errors
 * (fabric8 re-watches with backoff; a watchdog replaces an informer left without a live watch, which re-lists), so an
 * unreachable API server leaves the last applied rules in force and a returning one brings the caches up to date.
 * ClusterNetworkPolicies also get their {@code Accepted} status condition written. The caches hold
 * {@link TrimmedItemStore} copies: only the fields the translators read.
 */
public final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    /** Where ClusterNetworkPolicy lives; served only when its CRD is installed. */
    static final String CNP_API_VERSION = "policy.networking.k8s.io/v1alpha2";
    static final String CNP_KIND = "ClusterNetworkPolicy";

    private final KubernetesClient client;
    private final ObjectTranslator translator;
    private final PendingChanges pending;
    private final SyncTrigger trigger;
    private final TranslationMemo memo = new TranslationMemo(200_000);
    private final Duration stallLimit;
    private final ClusterPolicyStatusWriter statusWriter;
    private final java.util.concurrent.ScheduledExecutorService watchdog;
    private Watched<Namespace> namespaces;
    private Watched<Pod> pods;
    private Watched<NetworkPolicy> policies;
    private Watched<io.fabric8.kubernetes.api.model.Node> nodes;
    /** Set when listing Nodes was refused (403): until a list succeeds, the Node cache counts as synced and empty. */
    private volatile boolean nodesForbidden;
    private volatile Watched<dev.weir.crd.ClusterNetworkPolicy> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    private volatile boolean closed;

    /**
     * Objects per list request (client-go's reflector uses the same page). fabric8 otherwise lists a kind in one
     * response, and until it is cached that list holds every full object: ~350 MiB for 10,000 realistic pods
     * (docs/benchmarks.md, "Agent memory"), more than the chart's default heap, even though the cache keeps a tenth.
     */
    static final long LIST_PAGE = 500;

    /** How long an informer may go without a live watch before it is replaced (and so re-lists). */
    static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(30);

    public ClusterWatch(KubernetesClient client, ObjectTranslator translator, PendingChanges pending,
            SyncTrigger trigger) {
        this(client, translator, pending, trigger, DEFAULT_STALL_LIMIT);
    }

    ClusterWatch(KubernetesClient client, ObjectTranslator translator, PendingChanges pending, SyncTrigger trigger,
            Duration stallLimit) {
        this.client = client;
        this.translator = translator;
        this.pending = pending;
        this.trigger = trigger;
        this.stallLimit = stallLimit;
        this.statusWriter = new ClusterPolicyStatusWriter(client);
        this.watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weir-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers without waiting for them to sync (the pacer holds every apply until they have). */
    public void start() {
        // Each informer caches trimmed copies and lists in pages (see informer(...)).
        namespaces = new Watched<>(informer(client::namespaces, TrimmedItemStore::namespaces), this::namespaceChange,
                ns -> new ClusterEvent.NamespaceDeleted(ns.getMetadata().getName()));
        pods = new Watched<>(informer(() -> client.pods().inAnyNamespace(), TrimmedItemStore::pods), this::podChange,
                p -> new ClusterEvent.PodDeleted(namespaceOf(p), p.getMetadata().getName()));
        policies = new Watched<>(informer(() -> client.network().v1().networkPolicies().inAnyNamespace(),
                TrimmedItemStore::networkPolicies), this::policyChange,
                np -> new ClusterEvent.PolicyDeleted(namespaceOf(np), np.getMetadata().getName()));
        nodes = new Watched<>(informer(client::nodes, TrimmedItemStore::nodes), this::nodeChange,
                n -> new ClusterEvent.NodeDeleted(n.getMetadata().getName()), this::nodeListForbidden);
        // Discovery is a blocking call; an unreachable API server must not hold up the start.
        java.util.concurrent.CompletableFuture.runAsync(this::watchClusterNetworkPolicies);
        long period = Math.max(100, stallLimit.toMillis() / 4);
        watchdog.scheduleWithFixedDelay(this::checkWatches, period, period, TimeUnit.MILLISECONDS);
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
            for (Watched<?> w : new Watched<?>[] {namespaces, pods, policies, nodes, clusterPolicies}) {
                if (w != null && !closed) {
                    w.check(System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("watchdog check failed", e);
        }
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

    /** One kind's informer, replaceable by the watchdog; handlers survive the replacement. */
    private final class Watched<T extends HasMetadata> {
        private final Supplier<SharedIndexInformer<T>> factory;
        private final Function<T, Change> upsert;
        private final Function<T, ClusterEvent> delete;
        private final Runnable onForbidden;
        private volatile SharedIndexInformer<T> current;
        private long notWatchingSince = -1;

        Watched(Supplier<SharedIndexInformer<T>> factory, Function<T, Change> upsert,
                Function<T, ClusterEvent> delete) {
            this(factory, upsert, delete, null);
        }

        /** {@code onForbidden}: run on a 403 from the API server (null: a 403 is retried like any failure). */
        Watched(Supplier<SharedIndexInformer<T>> factory, Function<T, Change> upsert,
                Function<T, ClusterEvent> delete, Runnable onForbidden) {
            this.factory = factory;
            this.upsert = upsert;
            this.delete = delete;
            this.onForbidden = onForbidden;
            this.current = start(factory.get(), upsert, delete, () -> { }, onForbidden);
        }

        SharedIndexInformer<T> informer() {
            return current;
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
            LOG.warn("{} informer has had no live watch for {}; replacing it (re-list, then watch)",
                    old.getApiTypeClass().getSimpleName(), Durations.format(stallLimit));
            old.stop();
            SharedIndexInformer<T> fresh = factory.get();
            current = start(fresh, upsert, delete, () -> deleteVanished(old, fresh), onForbidden);
        }

        /** Objects the old cache held and the fresh list lacks were deleted while the watch was away. */
        private void deleteVanished(SharedIndexInformer<T> old, SharedIndexInformer<T> fresh) {
            java.util.Set<String> now = new java.util.HashSet<>(fresh.getStore().listKeys());
            for (T o : old.getStore().list()) {
                if (!now.contains(old.getStore().getKey(o))) {
                    recordDelete(delete, o);
                }
            }
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> start(SharedIndexInformer<T> informer,
            Function<T, Change> upsert, Function<T, ClusterEvent> delete, Runnable onSynced, Runnable onForbidden) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                record(upsert, obj, true);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                record(upsert, newObj, true);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                recordDelete(delete, obj);
            }
        });
        informer.exceptionHandler((started, t) -> {
            if (onForbidden != null && isForbidden(t)) {
                onForbidden.run(); // it warns once; the retries go on quietly, so a later grant takes effect
                LOG.debug("watch of {} forbidden, retrying with backoff: {}",
                        informer.getApiTypeClass().getSimpleName(), t.toString());
                return true;
            }
            LOG.warn("watch of {} failed, retrying with backoff: {}", informer.getApiTypeClass().getSimpleName(),
                    t.toString());
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

    /** Deletes are never memoized: they share the last version's key with its upsert. */
    private <T> void recordDelete(Function<T, ClusterEvent> delete, T obj) {
        record(o -> new Change.Event(delete.apply(o)), obj, false);
    }

    @SuppressWarnings("unchecked")
    private <T> void record(Function<T, Change> translate, T obj, boolean memoize) {
        try {
            pending.record(memoize ? memo.get((HasMetadata) obj, o -> translate.apply((T) o)) : translate.apply(obj));
            trigger.poke();
        } catch (RuntimeException e) {
            // A translator bug must not kill fabric8's dispatcher thread; the next full resync retries the object.
            LOG.error("could not translate {}", obj, e);
        }
    }

    /**
     * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) is watched only when the API server serves it (its CRD
     * is installed); otherwise one warning, and NetworkPolicy enforcement carries on alone. Until discovery has given
     * an answer the caches count as unsynced: a first apply without a cluster-wide Deny would open what it closes.
     * An unreachable API server is asked again every 5 s.
     */
    private void watchClusterNetworkPolicies() {
        while (!closed) {
            boolean installed;
            try {
                installed = client.supports(CNP_API_VERSION, CNP_KIND);
            } catch (RuntimeException e) {
                LOG.warn("cannot ask the API server whether it serves {} yet, retrying: {}", CNP_KIND, e.toString());
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (installed) {
                clusterPolicies = new Watched<>(informer(
                        () -> client.resources(dev.weir.crd.ClusterNetworkPolicy.class),
                        TrimmedItemStore::clusterPolicies), this::clusterPolicyChange,
                        c -> new ClusterEvent.ClusterPolicyDeleted(c.getMetadata().getName()));
                LOG.info("{} ({}) is served: enforcing it with NetworkPolicy", CNP_KIND, CNP_API_VERSION);
            } else {
                LOG.warn("{} ({}) is not served by the API server (CRD absent); enforcing NetworkPolicy only",
                        CNP_KIND, CNP_API_VERSION);
            }
            clusterPoliciesDecided = true;
            trigger.poke();
            return;
        }
    }

    /**
     * Listing Nodes was refused (403: the agent's ClusterRole lacks nodes). Node objects only feed ClusterNetworkPolicy
     * {@code nodes} peers, so the agent does not wait for them: it warns once and enforces as if there were no nodes
     * (a {@code nodes} peer matches nothing) until a retried list succeeds.
     */
    private void nodeListForbidden() {
        if (!nodesForbidden) {
            nodesForbidden = true;
            LOG.warn("listing Nodes is forbidden (the agent's ClusterRole needs get, list and watch on nodes); "
                    + "ClusterNetworkPolicy nodes peers match no node until it may, retrying in the background");
            trigger.poke();
        }
    }

    private static boolean isForbidden(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 403) {
                return true;
            }
        }
        return false;
    }

    /** Whether the Node informer counts: not while its list is forbidden and it has never listed. */
    private boolean nodesCount() {
        return !nodesForbidden || nodes.informer().hasSynced();
    }

    /** True once every informer has listed its objects: before that, no apply may run. */
    public boolean synced() {
        Watched<?> cnp = clusterPolicies;
        return namespaces != null && namespaces.informer().hasSynced() && pods.informer().hasSynced()
                && policies.informer().hasSynced() && (!nodesCount() || nodes.informer().hasSynced())
                && clusterPoliciesDecided && (cnp == null || cnp.informer().hasSynced());
    }

    /** The kinds whose informer has not listed yet (for {@code /readyz}'s reason), in a fixed order. */
    public java.util.List<String> unsyncedKinds() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (namespaces == null) {
            return java.util.List.of("Namespace", "Pod", "NetworkPolicy", "Node");
        }
        addIfUnsynced(out, "Namespace", namespaces);
        addIfUnsynced(out, "Pod", pods);
        addIfUnsynced(out, "NetworkPolicy", policies);
        if (nodesCount()) {
            addIfUnsynced(out, "Node", nodes);
        }
        if (!clusterPoliciesDecided) {
            out.add("ClusterNetworkPolicy");
        } else {
            addIfUnsynced(out, "ClusterNetworkPolicy", clusterPolicies);
        }
        return out;
    }

    private static void addIfUnsynced(java.util.List<String> out, String kind, Watched<?> w) {
        if (w != null && !w.informer().hasSynced()) {
            out.add(kind);
        }
    }

    /** Whether every informer currently has a live watch (false while the API server is unreachable). */
    public boolean watching() {
        Watched<?> cnp = clusterPolicies;
        return namespaces != null && isWatching(namespaces.informer()) && isWatching(pods.informer())
                && isWatching(policies.informer()) && (!nodesCount() || isWatching(nodes.informer()))
                && (cnp == null || isWatching(cnp.informer()));
    }

    /** fabric8 8.0.0's {@code isWatching} can throw (NPE in Reflector) while a watch is replaced: not watching. */
    private static boolean isWatching(SharedIndexInformer<?> informer) {
        try {
            return informer.isWatching();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every object in the caches as a change: the input of a full resync. */
    public Collection<Change> everything() {
        List<Change> out = new ArrayList<>();
        namespaces.informer().getStore().list().forEach(ns -> out.add(memo.get(ns, this::namespaceChange)));
        pods.informer().getStore().list().forEach(p -> out.add(memo.get(p, this::podChange)));
        policies.informer().getStore().list().forEach(np -> out.add(memo.get(np, this::policyChange)));
        nodes.informer().getStore().list().forEach(n -> out.add(memo.get(n, this::nodeChange)));
        Watched<dev.weir.crd.ClusterNetworkPolicy> cnp = clusterPolicies;
        if (cnp != null) {
            cnp.informer().getStore().list().forEach(c -> out.add(memo.get(c, this::clusterPolicyChange)));
        }
        return out;
    }

    Change namespaceChange(Namespace ns) {
        Translated<dev.weir.model.Namespace> t = translator.namespace(ns);
        if (t.value().isPresent()) {
            return new Change.Event(new ClusterEvent.NamespaceUpserted(t.value().get()));
        }
        LOG.debug("namespace {} left out: {}", ns.getMetadata().getName(), t.diagnostics());
        return new Change.Event(new ClusterEvent.NamespaceDeleted(ns.getMetadata().getName()));
    }

    Change podChange(Pod pod) {
        Translated<dev.weir.model.Endpoint> t = translator.pod(pod);
        if (t.value().isPresent()) {
            return new Change.Event(new ClusterEvent.PodUpserted(t.value().get()));
        }
        LOG.debug("pod {}/{} left out: {}", namespaceOf(pod), pod.getMetadata().getName(), t.diagnostics());
        return new Change.Event(new ClusterEvent.PodDeleted(namespaceOf(pod), pod.getMetadata().getName()));
    }

    /** A node that does not translate (a malformed address) is left out, as if absent, with a warning. */
    Change nodeChange(io.fabric8.kubernetes.api.model.Node node) {
        Translated<dev.weir.model.Node> t = translator.node(node);
        if (t.value().isPresent()) {
            return new Change.Event(new ClusterEvent.NodeUpserted(t.value().get()));
        }
        LOG.warn("node {} left out (nodes peers do not match its addresses): {}", node.getMetadata().getName(),
                t.diagnostics());
        return new Change.Event(new ClusterEvent.NodeDeleted(node.getMetadata().getName()));
    }

    Change policyChange(NetworkPolicy np) {
        Translated<dev.weir.model.NetworkPolicy> t = translator.networkPolicy(np);
        if (t.value().isPresent()) {
            return new Change.Event(new ClusterEvent.PolicyUpserted(t.value().get()));
        }
        ObjectMeta m = np.getMetadata();
        String version = m.getGeneration() != null ? "g" + m.getGeneration() : "rv" + m.getResourceVersion();
        return new Change.PolicyRejected(new Rejection(ObjectRef.networkPolicy(namespaceOf(np), m.getName()),
                m.getUid(), version, t.diagnostics()));
    }

    Change clusterPolicyChange(dev.weir.crd.ClusterNetworkPolicy cnp) {
        Translated<dev.weir.model.admin.ClusterPolicy> t = ClusterPolicyTranslator.translate(cnp);
        statusWriter.write(cnp.getMetadata().getName(), AcceptedCondition.of(t, cnp.getMetadata().getGeneration()));
        if (t.isAccepted()) {
            if (!t.diagnostics().isEmpty()) {
                LOG.debug("{} enforced with caveats: {}", t.object(), t.diagnostics());
            }
            return new Change.Event(new ClusterEvent.ClusterPolicyUpserted(t.value().get()));
        }
        ObjectMeta m = cnp.getMetadata();
        String version = m.getGeneration() != null ? "g" + m.getGeneration() : "rv" + m.getResourceVersion();
        return new Change.PolicyRejected(new Rejection(t.object(), m.getUid(), version, t.diagnostics()));
    }

    private static String namespaceOf(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        statusWriter.close();
        for (Watched<?> w : new Watched<?>[] {namespaces, pods, policies, nodes, clusterPolicies}) {
            if (w != null) {
                w.informer().stop();
            }
        }
    }
}
