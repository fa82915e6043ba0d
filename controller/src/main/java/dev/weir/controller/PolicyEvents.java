package dev.weir.controller;

import dev.weir.agent.Rejection;
import dev.weir.agent.RejectionReporter;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The controller's core/v1 Events on policies ({@code kubectl describe networkpolicy} shows them), from component
 * {@value #COMPONENT}: {@value RejectionReporter#REASON} (Warning) for a rejected version, {@value #ENFORCED} (Normal)
 * when a NetworkPolicy's generation is in force on every node that should enforce it, {@value #NOT_ENFORCED}
 * (Warning) when it is not, or no longer. Each Event's name is derived from what it says (the policy's uid, the reason,
 * the rejected version or the message), so a second report of the same thing (a new leader, a restart) collides with
 * 409 instead of adding a duplicate.
 */
final class PolicyEvents {

    static final String COMPONENT = "weir-controller";
    static final String ENFORCED = "PolicyEnforced";
    static final String NOT_ENFORCED = "PolicyNotEnforced";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String instance;

    /** {@code instance}: this replica's identity, the Events' reporting instance. */
    PolicyEvents(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    /** The PolicyRejected Event of {@code r}'s version; false when it existed already (409), which is no failure. */
    boolean rejected(Rejection r) {
        return create(r.object(), r.uid(), "Warning", RejectionReporter.REASON, r.message(), eventName(r));
    }

    /**
     * A {@value #ENFORCED} ({@code enforced}) or {@value #NOT_ENFORCED} Event on {@code policy}; false when the same
     * one existed already.
     */
    boolean enforcement(ObjectKey policy, String uid, boolean enforced, String message) {
        String reason = enforced ? ENFORCED : NOT_ENFORCED;
        return create(policy, uid, enforced ? "Normal" : "Warning", reason, message,
                name(policy, uid + "/" + reason + "/" + message));
    }

    private boolean create(ObjectKey object, String uid, String type, String reason, String text, String name) {
        // Events of cluster-scoped objects live in "default", as kubectl describe looks for them.
        String ns = object.namespace() == null ? "default" : object.namespace();
        String apiVersion = object.namespace() == null
                ? ClusterNetworkPolicy.GROUP + "/" + ClusterNetworkPolicy.VERSION : "networking.k8s.io/v1";
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String message = text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 3) + "..." : text;
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(apiVersion)
                    .withKind(object.kind().apiKind())
                    .withNamespace(object.namespace())
                    .withName(object.name())
                    .withUid(uid)
                .endInvolvedObject()
                .withReason(reason)
                .withType(type)
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
            return false; // said already (by an earlier leader, or before a restart)
        }
    }

    /** {@code <policy>.weir-<hash of uid and version>}: unique per version, stable across replicas and restarts. */
    static String eventName(Rejection r) {
        return name(r.object(), r.uid() + "/" + r.version());
    }

    private static String name(ObjectKey object, String identity) {
        String base = object.name().toLowerCase(Locale.ROOT);
        if (base.length() > 200) {
            base = base.substring(0, 200);
        }
        return base + ".weir-" + Integer.toHexString(identity.hashCode() & 0x7fffffff);
    }
}
