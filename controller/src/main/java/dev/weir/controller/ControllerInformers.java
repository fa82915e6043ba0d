package dev.weir.controller;

import static dev.weir.status.ClusterObjects.REPORTS;

import dev.weir.agent.ClusterPolicyDiscovery;
import dev.weir.agent.InformerWatchdog;
import dev.weir.agent.SyncTrigger;
import dev.weir.agent.CompactPodStore;
import dev.weir.agent.SerializedItemStore;
import dev.weir.agent.WatchedInformer;
import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The controller's informers, with the node agent's watchdog ({@link WatchedInformer}, {@link InformerWatchdog}):
 * NetworkPolicies and, once discovery says they are served, ClusterNetworkPolicies, whole (their annotations and
 * status are what the writes are compared with) but for kubectl's copy and the managed fields ({@link PolicyStore}); Pods, Namespaces and Nodes trimmed as the agent keeps them (they
 * only feed the graph that says which nodes should enforce a policy); and the agents' NodePolicyReports, once
 * discovery says their CRD is served (read as generic resources, as {@code weir status} reads them, and kept trimmed
 * as JSON: {@link ReportStore}). Every replica watches, the leader and the others alike, so a new leader starts from warm
 * caches.
 */
final class ControllerInformers implements AutoCloseable {

    private final KubernetesClient client;
    private final WatchedInformer.Handler handler;
    private final SyncTrigger trigger;
    private final Duration stallLimit;
    private final ClusterPolicyDiscovery policyDiscovery;
    private final ClusterPolicyDiscovery reportDiscovery;
    private InformerWatchdog watchdog;
    private final List<WatchedInformer<?>> core = new ArrayList<>();
    private volatile WatchedInformer<?> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    private volatile WatchedInformer<?> reports;
    private volatile boolean reportsDecided;
    private volatile boolean started;
    private volatile boolean closed;

    ControllerInformers(KubernetesClient client, WatchedInformer.Handler handler, SyncTrigger trigger,
            Duration stallLimit) {
        this.client = client;
        this.handler = handler;
        this.trigger = trigger;
        this.stallLimit = stallLimit;
        this.policyDiscovery = new ClusterPolicyDiscovery(client, null);
        this.reportDiscovery = ClusterPolicyDiscovery.of(client, REPORTS.getGroup() + "/" + REPORTS.getVersion(),
                REPORTS.getKind(), "reading which nodes enforce which policy",
                "no Enforced condition and no weir.dev/enforced annotation");
    }

    /** Starts the informers and discovery without waiting for either. */
    synchronized void start() {
        core.add(watched(WatchedInformer.paged(() -> client.network().v1().networkPolicies().inAnyNamespace(),
                PolicyStore::create)));
        core.add(watched(WatchedInformer.paged(() -> client.pods().inAnyNamespace(), CompactPodStore::new)));
        core.add(watched(WatchedInformer.paged(client::namespaces, SerializedItemStore::namespaces)));
        core.add(watched(WatchedInformer.paged(client::nodes, SerializedItemStore::nodes)));
        started = true;
        watchdog = new InformerWatchdog(this::all, stallLimit);
        policyDiscovery.start(served -> {
            if (served && !closed) {
                clusterPolicies = watched(WatchedInformer.paged(() -> client.resources(ClusterNetworkPolicy.class),
                        PolicyStore::create));
            }
            clusterPoliciesDecided = true;
            trigger.poke();
        });
        reportDiscovery.start(served -> {
            if (served && !closed) {
                reports = watched(WatchedInformer.paged(() -> client.genericKubernetesResources(REPORTS),
                        ReportStore::create));
            }
            reportsDecided = true;
            trigger.poke();
        });
    }

    private <T extends HasMetadata> WatchedInformer<T> watched(Supplier<SharedIndexInformer<T>> factory) {
        return new WatchedInformer<>(factory, handler, trigger::poke, null);
    }

    private synchronized List<WatchedInformer<?>> all() {
        List<WatchedInformer<?>> out = new ArrayList<>(core);
        for (WatchedInformer<?> w : new WatchedInformer<?>[] {clusterPolicies, reports}) {
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** The kinds not listed yet (for {@code /readyz}); empty once every cache holds its kind. */
    List<String> unsyncedKinds() {
        if (!started) {
            return List.of("NetworkPolicy", "Pod", "Namespace", "Node");
        }
        List<String> out = new ArrayList<>();
        for (WatchedInformer<?> w : all()) {
            if (!w.hasSynced()) {
                out.add(w.kind());
            }
        }
        if (!clusterPoliciesDecided) {
            out.add(ClusterNetworkPolicy.KIND);
        }
        if (!reportsDecided) {
            out.add(REPORTS.getKind());
        }
        return out;
    }

    boolean synced() {
        return unsyncedKinds().isEmpty();
    }

    /** Whether the nodes' reports are watched (their CRD is served): without them enforcement is not told. */
    boolean reportsWatched() {
        return reports != null;
    }

    /**
     * Every cached object of every kind, read back one at a time (a resync's input): the pods, namespaces and nodes
     * are held compact, and a list of all of them read back would be ≈ 260 MiB at 150,000 pods.
     */
    void forEachCached(Consumer<HasMetadata> action) {
        for (WatchedInformer<?> w : all()) {
            w.forEach(action);
        }
    }

    @Override
    public void close() {
        closed = true;
        policyDiscovery.close();
        reportDiscovery.close();
        if (watchdog != null) {
            watchdog.close();
        }
        for (WatchedInformer<?> w : all()) {
            w.stop();
        }
    }
}
