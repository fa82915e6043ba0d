package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's informers and their caches — the one copy of the cluster's objects the agent keeps (trimmed, and held
 * compact: pods as {@link CompactPod}s, namespaces, policies and nodes as JSON bytes ({@link SerializedItemStore}),
 * ClusterNetworkPolicies as trimmed objects ({@link TrimmedItemStore})) — with the watchdog that replaces an informer
 * left without a live watch
 * ({@link WatchedInformer}), and the rule that a refused (403) list of Nodes counts as no nodes. Pods (all namespaces),
 * Namespaces, NetworkPolicies and Nodes from {@link #start}; ClusterNetworkPolicies once discovery says they are
 * served ({@link #clusterPoliciesServed}). Every event goes to the {@link WatchedInformer.Handler} on fabric8's
 * threads.
 */
final class ClusterInformers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterInformers.class);

    private final KubernetesClient client;
    private final WatchedInformer.Handler handler;
    private final SyncTrigger trigger;
    private final Duration stallLimit;
    private InformerWatchdog watchdog;
    private WatchedInformer<?> namespaces;
    private WatchedInformer<?> pods;
    private WatchedInformer<?> policies;
    private WatchedInformer<?> nodes;
    /** Set when listing Nodes was refused (403): until a list succeeds, the Node cache counts as synced and empty. */
    private volatile boolean nodesForbidden;
    private volatile WatchedInformer<?> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    /** Set once the four informers above exist; other threads (HTTP, sync) read them only after it. */
    private volatile boolean started;
    private volatile boolean closed;

    ClusterInformers(KubernetesClient client, WatchedInformer.Handler handler, SyncTrigger trigger,
            Duration stallLimit) {
        this.client = client;
        this.handler = handler;
        this.trigger = trigger;
        this.stallLimit = stallLimit;
    }

    /** Starts the informers without waiting for them to sync (the pacer holds every apply until they have). */
    void start() {
        namespaces = watched(WatchedInformer.paged(client::namespaces, SerializedItemStore::namespaces), null);
        pods = watched(WatchedInformer.paged(() -> client.pods().inAnyNamespace(), CompactPodStore::new), null);
        policies = watched(WatchedInformer.paged(() -> client.network().v1().networkPolicies().inAnyNamespace(),
                SerializedItemStore::networkPolicies), null);
        nodes = watched(WatchedInformer.paged(client::nodes, SerializedItemStore::nodes), this::listForbidden);
        started = true;
        watchdog = new InformerWatchdog(this::all, stallLimit);
    }

    private <T extends HasMetadata> WatchedInformer<T> watched(Supplier<SharedIndexInformer<T>> factory,
            Runnable forbidden) {
        return new WatchedInformer<>(factory, handler, trigger::poke, forbidden);
    }

    /**
     * Discovery's answer. Until it comes the caches count as unsynced: a first apply without a cluster-wide Deny would
     * open what that Deny closes.
     */
    void clusterPoliciesServed(boolean served) {
        if (served && !closed) {
            clusterPolicies = watched(WatchedInformer.paged(
                    () -> client.resources(dev.weir.crd.ClusterNetworkPolicy.class),
                    TrimmedItemStore::clusterPolicies), null);
        }
        clusterPoliciesDecided = true;
        trigger.poke();
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

    /**
     * The informers whose cache counts: the Node informer not while its list is forbidden and it has never listed;
     * the ClusterNetworkPolicy informer once discovery found it served.
     */
    private List<WatchedInformer<?>> counted() {
        List<WatchedInformer<?>> out = new ArrayList<>(List.of(namespaces, pods, policies));
        if (!nodesForbidden || nodes.hasSynced()) {
            out.add(nodes);
        }
        WatchedInformer<?> cnp = clusterPolicies;
        if (cnp != null) {
            out.add(cnp);
        }
        return out;
    }

    private List<WatchedInformer<?>> all() {
        List<WatchedInformer<?>> out = new ArrayList<>();
        for (WatchedInformer<?> w : new WatchedInformer<?>[] {namespaces, pods, policies, nodes, clusterPolicies}) {
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
        for (WatchedInformer<?> w : counted()) {
            if (!w.hasSynced()) {
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
        return started && counted().stream().allMatch(WatchedInformer::watching);
    }

    /** Every object in the caches (trimmed copies). */
    List<HasMetadata> cached() {
        List<HasMetadata> out = new ArrayList<>();
        forEachCached(out::add);
        return out;
    }

    /**
     * Every object in the caches, read back one at a time: the input of a full resync, which translates each as it
     * comes, so that never more than one is held read back (a list of all would be ≈ 3 KB a pod).
     */
    void forEachCached(java.util.function.Consumer<HasMetadata> action) {
        for (WatchedInformer<?> w : all()) {
            w.forEach(action);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.close();
        }
        for (WatchedInformer<?> w : all()) {
            w.stop();
        }
    }
}
