package dev.weir.controller;

import dev.weir.agent.ClusterPolicyDiscovery;
import dev.weir.agent.InformerWatchdog;
import dev.weir.agent.SyncTrigger;
import dev.weir.agent.WatchedInformer;
import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The controller's informers: NetworkPolicies (all namespaces) and, once discovery says they are served,
 * ClusterNetworkPolicies, with the node agent's watchdog ({@link WatchedInformer}, {@link InformerWatchdog}). Every
 * replica watches, the leader and the others alike, so a new leader starts from warm caches. The caches hold the
 * objects whole (annotations and status are what the controller compares its writes with); policies are few next to
 * pods, which the controller does not watch.
 */
final class PolicyInformers implements AutoCloseable {

    private final KubernetesClient client;
    private final WatchedInformer.Handler handler;
    private final SyncTrigger trigger;
    private final Duration stallLimit;
    private final ClusterPolicyDiscovery discovery;
    private InformerWatchdog watchdog;
    private volatile WatchedInformer<?> networkPolicies;
    private volatile WatchedInformer<?> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    private volatile boolean closed;

    PolicyInformers(KubernetesClient client, WatchedInformer.Handler handler, SyncTrigger trigger,
            Duration stallLimit) {
        this.client = client;
        this.handler = handler;
        this.trigger = trigger;
        this.stallLimit = stallLimit;
        this.discovery = new ClusterPolicyDiscovery(client, null);
    }

    /** Starts the informers and discovery without waiting for either. */
    void start() {
        networkPolicies = watched(WatchedInformer.paged(() -> client.network().v1().networkPolicies().inAnyNamespace(),
                PolicyInformers::wholeObjects));
        watchdog = new InformerWatchdog(this::all, stallLimit);
        discovery.start(this::clusterPoliciesServed);
    }

    private void clusterPoliciesServed(boolean served) {
        if (served && !closed) {
            clusterPolicies = watched(WatchedInformer.paged(() -> client.resources(ClusterNetworkPolicy.class),
                    PolicyInformers::wholeObjects));
        }
        clusterPoliciesDecided = true;
        trigger.poke();
    }

    private <T extends HasMetadata> WatchedInformer<T> watched(Supplier<SharedIndexInformer<T>> factory) {
        return new WatchedInformer<>(factory, handler, trigger::poke, null);
    }

    private static <T extends HasMetadata> ItemStore<T> wholeObjects() {
        return new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    }

    private List<WatchedInformer<?>> all() {
        List<WatchedInformer<?>> out = new ArrayList<>();
        for (WatchedInformer<?> w : new WatchedInformer<?>[] {networkPolicies, clusterPolicies}) {
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** The kinds not listed yet (for {@code /readyz}); empty once every cache holds its kind. */
    List<String> unsyncedKinds() {
        List<String> out = new ArrayList<>();
        if (networkPolicies == null || !networkPolicies.hasSynced()) {
            out.add("NetworkPolicy");
        }
        if (!clusterPoliciesDecided || (clusterPolicies != null && !clusterPolicies.hasSynced())) {
            out.add(ClusterNetworkPolicy.KIND);
        }
        return out;
    }

    boolean synced() {
        return unsyncedKinds().isEmpty();
    }

    /** Every cached policy (a resync's input). */
    List<HasMetadata> cachedPolicies() {
        List<HasMetadata> out = new ArrayList<>();
        for (WatchedInformer<?> w : all()) {
            out.addAll(w.list());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        discovery.close();
        if (watchdog != null) {
            watchdog.close();
        }
        for (WatchedInformer<?> w : all()) {
            w.stop();
        }
    }
}
