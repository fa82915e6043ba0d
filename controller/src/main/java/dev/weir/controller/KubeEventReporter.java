package dev.weir.controller;

import dev.weir.agent.Rejection;
import dev.weir.agent.RejectionReporter;
import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Reports a rejected policy as a core/v1 Event on the policy ({@code kubectl describe networkpolicy} shows it), reason
 * {@value RejectionReporter#REASON}, type Warning, from component {@value #COMPONENT}. The event name is derived from
 * the rejected version, so a second report of the same version (a new leader, a restart) collides with 409 instead of
 * adding a duplicate.
 */
final class KubeEventReporter {

    static final String COMPONENT = "weir-controller";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String instance;

    /** {@code instance}: this replica's identity, the Event's reporting instance. */
    KubeEventReporter(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    /** Creates the Event; returns false when it existed already (409), which is no failure. */
    boolean create(Rejection r) {
        // Events of cluster-scoped objects live in "default", as kubectl describe looks for them.
        String ns = r.object().namespace() == null ? "default" : r.object().namespace();
        String apiVersion = r.object().namespace() == null ? ClusterNetworkPolicy.GROUP + "/" + ClusterNetworkPolicy.VERSION : "networking.k8s.io/v1";
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String message = r.message();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(eventName(r))
                    .withNamespace(ns)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(apiVersion)
                    .withKind(r.object().kind().apiKind())
                    .withNamespace(r.object().namespace())
                    .withName(r.object().name())
                    .withUid(r.uid())
                .endInvolvedObject()
                .withReason(RejectionReporter.REASON)
                .withType("Warning")
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false; // already reported (by an earlier leader, or before a restart): one event per version
        }
    }

    /** {@code <policy>.weir-<hash of uid and version>}: unique per version, stable across replicas and restarts. */
    static String eventName(Rejection r) {
        String base = r.object().name().toLowerCase(Locale.ROOT);
        if (base.length() > 200) {
            base = base.substring(0, 200);
        }
        return base + ".weir-" + Integer.toHexString((r.uid() + "/" + r.version()).hashCode() & 0x7fffffff);
    }
}
