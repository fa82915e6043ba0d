package dev.weir.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Reports a rejected policy as a core/v1 Event on the policy ({@code kubectl describe networkpolicy} shows it), reason
 * {@value RejectionReporter#REASON}, type Warning, from component {@code weir-agent} on this node. The event name is
 * derived from the rejected version, so a second agent (or a restart) reporting the same version collides with 409
 * instead of adding a duplicate.
 */
public final class KubeEventReporter implements RejectionReporter {

    static final String COMPONENT = "weir-agent";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String node;

    public KubeEventReporter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    @Override
    public void report(Rejection r) {
        // Events of cluster-scoped objects live in "default", as kubectl describe looks for them.
        String ns = r.object().namespace() == null ? "default" : r.object().namespace();
        String apiVersion = r.object().namespace() == null ? ClusterPolicyDiscovery.API_VERSION : "networking.k8s.io/v1";
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
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
                .withReason(REASON)
                .withType("Warning")
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(COMPONENT + "-" + node)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Already reported (by another node's agent, or before a restart): one event per version is the point.
        }
    }

    /** {@code <policy>.weir-<hash of uid and version>}: unique per version, stable across agents. */
    static String eventName(Rejection r) {
        String base = r.object().name().toLowerCase(Locale.ROOT);
        if (base.length() > 200) {
            base = base.substring(0, 200);
        }
        return base + ".weir-" + Integer.toHexString((r.uid() + "/" + r.version()).hashCode() & 0x7fffffff);
    }
}
