package dev.weir.agent;

import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslation;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's informers: Pods (all namespaces), Namespaces and NetworkPolicies. Handlers only translate, record the
 * latest change per object and poke the trigger; the sync thread does the rest. Informers retry forever after errors
 * (fabric8 re-lists and re-watches with backoff), so an unreachable API server leaves the last applied rules in force
 * and a returning one brings the caches up to date again.
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
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<NetworkPolicy> policies;
    private volatile SharedIndexInformer<dev.weir.crd.ClusterNetworkPolicy> clusterPolicies;
    private volatile boolean clusterPoliciesDecided;
    private volatile boolean closed;

    public ClusterWatch(KubernetesClient client, ObjectTranslator translator, PendingChanges pending,
            SyncTrigger trigger) {
        this.client = client;
        this.translator = translator;
        this.pending = pending;
        this.trigger = trigger;
    }

    /** Starts the informers without waiting for them to sync (the pacer holds every apply until they have). */
    public void start() {
        namespaces = start(client.namespaces().runnableInformer(0), this::namespaceChange,
                ns -> new Change.NamespaceDelete(ns.getMetadata().getName()));
        pods = start(client.pods().inAnyNamespace().runnableInformer(0), this::podChange,
                p -> new Change.PodDelete(namespaceOf(p), p.getMetadata().getName()));
        policies = start(client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0),
                this::policyChange, np -> new Change.PolicyDelete(namespaceOf(np), np.getMetadata().getName()));
        // Discovery is a blocking call; an unreachable API server must not hold up the start.
        java.util.concurrent.CompletableFuture.runAsync(this::watchClusterNetworkPolicies);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> start(SharedIndexInformer<T> informer,
            Function<T, Change> upsert, Function<T, Change> delete) {
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
                record(delete, obj, false);
            }
        });
        informer.exceptionHandler((started, t) -> {
            LOG.warn("watch of {} failed, retrying with backoff: {}", informer.getApiTypeClass().getSimpleName(),
                    t.toString());
            return true;
        });
        informer.start().whenComplete((ok, err) -> {
            if (err == null) {
                LOG.info("{} cache synced", informer.getApiTypeClass().getSimpleName());
                trigger.poke();
            }
        });
        return informer;
    }

    @SuppressWarnings("unchecked")
    private <T> void record(Function<T, Change> translate, T obj, boolean memoize) {
        try {
            // Deletes are never memoized: they share the last version's key with its upsert.
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
                clusterPolicies = start(client.resources(dev.weir.crd.ClusterNetworkPolicy.class).runnableInformer(0),
                        this::clusterPolicyChange, c -> new Change.ClusterPolicyDelete(c.getMetadata().getName()));
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

    /** True once every informer has listed its objects: before that, no apply may run. */
    public boolean synced() {
        SharedIndexInformer<?> cnp = clusterPolicies;
        return namespaces != null && namespaces.hasSynced() && pods.hasSynced() && policies.hasSynced()
                && clusterPoliciesDecided && (cnp == null || cnp.hasSynced());
    }

    /** Whether every informer currently has a live watch (false while the API server is unreachable). */
    public boolean watching() {
        SharedIndexInformer<?> cnp = clusterPolicies;
        return namespaces != null && namespaces.isWatching() && pods.isWatching() && policies.isWatching()
                && (cnp == null || cnp.isWatching());
    }

    /** Every object in the caches as a change: the input of a full resync. */
    public Collection<Change> everything() {
        List<Change> out = new ArrayList<>();
        namespaces.getStore().list().forEach(ns -> out.add(memo.get(ns, this::namespaceChange)));
        pods.getStore().list().forEach(p -> out.add(memo.get(p, this::podChange)));
        policies.getStore().list().forEach(np -> out.add(memo.get(np, this::policyChange)));
        SharedIndexInformer<dev.weir.crd.ClusterNetworkPolicy> cnp = clusterPolicies;
        if (cnp != null) {
            cnp.getStore().list().forEach(c -> out.add(memo.get(c, this::clusterPolicyChange)));
        }
        return out;
    }

    Change namespaceChange(Namespace ns) {
        Translated<dev.weir.model.Namespace> t = translator.namespace(ns);
        if (t.value().isPresent()) {
            return new Change.NamespaceUpsert(t.value().get());
        }
        LOG.debug("namespace {} left out: {}", ns.getMetadata().getName(), t.diagnostics());
        return new Change.NamespaceDelete(ns.getMetadata().getName());
    }

    Change podChange(Pod pod) {
        Translated<dev.weir.model.Endpoint> t = translator.pod(pod);
        if (t.value().isPresent()) {
            return new Change.PodUpsert(t.value().get());
        }
        LOG.debug("pod {}/{} left out: {}", namespaceOf(pod), pod.getMetadata().getName(), t.diagnostics());
        return new Change.PodDelete(namespaceOf(pod), pod.getMetadata().getName());
    }

    Change policyChange(NetworkPolicy np) {
        Translated<dev.weir.model.NetworkPolicy> t = translator.networkPolicy(np);
        if (t.value().isPresent()) {
            return new Change.PolicyUpsert(t.value().get());
        }
        ObjectMeta m = np.getMetadata();
        String version = m.getGeneration() != null ? "g" + m.getGeneration() : "rv" + m.getResourceVersion();
        return new Change.PolicyRejected(new Rejection(ObjectRef.networkPolicy(namespaceOf(np), m.getName()),
                m.getUid(), version, t.diagnostics()));
    }

    Change clusterPolicyChange(dev.weir.crd.ClusterNetworkPolicy cnp) {
        ClusterPolicyTranslation t = ClusterPolicyTranslator.translate(cnp);
        if (t instanceof ClusterPolicyTranslation.Accepted a) {
            if (!a.warnings().isEmpty()) {
                LOG.debug("{} enforced with caveats: {}", a.object(), a.warnings());
            }
            return new Change.ClusterPolicyUpsert(a.policy());
        }
        ClusterPolicyTranslation.Rejected r = (ClusterPolicyTranslation.Rejected) t;
        ObjectMeta m = cnp.getMetadata();
        String version = m.getGeneration() != null ? "g" + m.getGeneration() : "rv" + m.getResourceVersion();
        return new Change.PolicyRejected(new Rejection(r.object(), m.getUid(), version, r.errors()));
    }

    private static String namespaceOf(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    @Override
    public void close() {
        closed = true;
        for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {namespaces, pods, policies, clusterPolicies}) {
            if (i != null) {
                i.stop();
            }
        }
    }
}
