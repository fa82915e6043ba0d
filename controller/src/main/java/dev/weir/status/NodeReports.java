package dev.weir.status;

import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A {@code NodePolicyReport} object (its fields are described in {@code docs/agent.md}, "What the agent reports") as a
 * {@link NodeReport}. Lenient, as a reader of something others write must be: a field that is missing or malformed
 * reads as absent (a time as null, a count as 0), a listed policy of an unknown kind or without a name is skipped, and
 * the node's other fields still count.
 */
public final class NodeReports {

    private NodeReports() {
    }

    /** The report of the node the object is named after. */
    public static NodeReport read(GenericKubernetesResource report) {
        String node = report.getMetadata().getName();
        Object status = report.getAdditionalProperties().get("status");
        JsonNode s = status == null ? Serialization.jsonMapper().createObjectNode()
                : Serialization.jsonMapper().valueToTree(status);
        SortedMap<ObjectKey, NodeReport.Applied> policies = new TreeMap<>();
        for (JsonNode p : s.path("policies").values()) {
            key(p).ifPresent(k -> policies.put(k,
                    new NodeReport.Applied(text(p, "uid"), number(p, "generation"), time(p, "appliedTime"))));
        }
        SortedMap<ObjectKey, NodeReport.Rejected> rejected = new TreeMap<>();
        for (JsonNode p : s.path("rejected").values()) {
            key(p).ifPresent(k -> rejected.put(k,
                    new NodeReport.Rejected(text(p, "uid"), number(p, "generation"), text(p, "message"))));
        }
        JsonNode f = s.path("lastFailure");
        NodeReport.Failure failure = f.isObject()
                ? new NodeReport.Failure(time(f, "time"), Optional.ofNullable(text(f, "message")).orElse(""))
                : null;
        Long interval = number(s, "heartbeatIntervalSeconds");
        Long count = number(s, "policyCount");
        Long failures = number(s, "consecutiveFailures");
        return new NodeReport(node, text(s, "agentVersion"), time(s, "lastHeartbeatTime"),
                interval == null || interval < 1 ? null : Duration.ofSeconds(interval), time(s, "lastAppliedTime"),
                text(s, "rulesetHash"), count == null ? 0 : (int) Math.max(0, Math.min(count, Integer.MAX_VALUE)),
                policies, rejected, failure,
                failures == null ? 0 : (int) Math.max(0, Math.min(failures, Integer.MAX_VALUE)));
    }

    private static Optional<ObjectKey> key(JsonNode p) {
        Optional<ObjectKey.Kind> kind = ObjectKey.Kind.ofApiKind(p.path("kind").asString(""))
                .filter(k -> k == ObjectKey.Kind.NETWORK_POLICY || k == ObjectKey.Kind.CLUSTER_NETWORK_POLICY);
        String name = text(p, "name");
        String namespace = text(p, "namespace");
        if (kind.isEmpty() || name == null || kind.get().namespaced() != (namespace != null)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectKey(kind.get(), namespace, name));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() && !v.asString().isEmpty() ? v.asString() : null;
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isIntegralNumber() ? v.asLong() : null;
    }

    private static Instant time(JsonNode n, String field) {
        String t = text(n, field);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
