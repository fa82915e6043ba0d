package dev.weir.agent;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server whether it serves ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, present only when its
 * CRD is installed), until it gets an answer. Served: the agent watches and enforces it. Not served: one warning, and
 * NetworkPolicy is enforced alone. An unreachable API server is asked again every {@link #RETRY_MILLIS} ms. Then it
 * reads the CRD itself once and names it ({@link InstalledCrd}: channel, bundle version, served versions), in the log
 * and to {@code crdFound} (the info metric).
 */
public final class ClusterPolicyDiscovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicyDiscovery.class);

    /** Where ClusterNetworkPolicy lives; served only when its CRD is installed. */
    static final String API_VERSION = "policy.networking.k8s.io/v1alpha2";
    static final String KIND = "ClusterNetworkPolicy";
    static final long RETRY_MILLIS = 5000;

    private final KubernetesClient client;
    private final Consumer<InstalledCrd> crdFound;
    private final String apiVersion;
    private final String kind;
    private final String whenServed;
    private final String whenAbsent;
    private volatile boolean closed;

    /** {@code crdFound}: told which CRD it is once discovery has answered; null: the CRD is not read at all. */
    public ClusterPolicyDiscovery(KubernetesClient client, Consumer<InstalledCrd> crdFound) {
        this(client, crdFound, API_VERSION, KIND, "watching it beside NetworkPolicy", "NetworkPolicy only");
    }

    private ClusterPolicyDiscovery(KubernetesClient client, Consumer<InstalledCrd> crdFound, String apiVersion,
            String kind, String whenServed, String whenAbsent) {
        this.client = client;
        this.crdFound = crdFound;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.whenServed = whenServed;
        this.whenAbsent = whenAbsent;
    }

    /**
     * The same asking for another kind of a CRD (the controller's NodePolicyReports), without reading the CRD;
     * {@code whenServed} and {@code whenAbsent} end the log line of the answer.
     */
    public static ClusterPolicyDiscovery of(KubernetesClient client, String apiVersion, String kind, String whenServed,
            String whenAbsent) {
        return new ClusterPolicyDiscovery(client, null, apiVersion, kind, whenServed, whenAbsent);
    }

    /** Asks in the background (discovery blocks, and an unreachable API server must not hold up the start). */
    public void start(Consumer<Boolean> served) {
        CompletableFuture.runAsync(() -> ask(served));
    }

    private void ask(Consumer<Boolean> served) {
        while (!closed) {
            boolean installed;
            try {
                installed = client.supports(apiVersion, kind);
            } catch (RuntimeException e) {
                LOG.warn("cannot ask the API server whether it serves {} yet, retrying: {}", kind, e.toString());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (installed) {
                LOG.info("{} ({}) is served: {}", kind, apiVersion, whenServed);
            } else {
                LOG.warn("{} ({}) is not served by the API server (CRD absent); {}", kind, apiVersion, whenAbsent);
            }
            served.accept(installed);
            if (crdFound != null) {
                crdFound.accept(installedCrd());
            }
            return;
        }
    }

    /** The CRD as it names itself; the chart's RBAC allows get on this one CRD only. */
    private InstalledCrd installedCrd() {
        InstalledCrd found;
        try {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                    .withName(ClusterNetworkPolicy.CRD_NAME).get();
            found = crd == null ? InstalledCrd.ABSENT : InstalledCrd.of(crd);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot read the {} CRD (the agent needs get on customresourcedefinitions for it): {}", KIND,
                    e.getMessage());
            return InstalledCrd.UNREADABLE;
        }
        LOG.info("{} CRD: {}", KIND, found.describe());
        if (found.state() == InstalledCrd.State.FOUND && !found.servesWeirsVersion()) {
            LOG.warn("the {} CRD does not serve {}, the version weir reads", KIND, ClusterNetworkPolicy.VERSION);
        }
        return found;
    }

    @Override
    public void close() {
        closed = true;
    }
}
