package dev.weir.explain;

import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON form of a {@link Decision}, for {@code weir explain -o json} and for denial records alike, so the two
 * compare field by field (documented in {@code docs/explain.md}):
 *
 * <pre>
 * {"direction":"ingress","outcome":"deny","cause":"cluster-policy-rule","tier":"Admin",
 *  "objects":[{"kind":"ClusterNetworkPolicy","name":"guard"}],"rule":{"index":2,"name":"deny-z"}}
 * </pre>
 *
 * {@code tier} and {@code rule} are {@code null} when absent; an object of a cluster-scoped kind has no
 * {@code namespace}. Reading is strict: an unknown word or a missing field is an {@link IllegalArgumentException}
 * naming it, so a record written by a newer weir is not silently read as something else.
 */
public final class DecisionJson {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();

    private DecisionJson() {
    }

    /** The decision as a JSON object node, fields in the documented order. */
    public static ObjectNode toNode(Decision d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("direction", d.direction().apiName().toLowerCase(java.util.Locale.ROOT));
        n.put("outcome", d.outcome().lower());
        n.put("cause", d.cause().word());
        if (d.tier().isPresent()) {
            n.put("tier", d.tier().get().word());
        } else {
            n.putNull("tier");
        }
        ArrayNode objects = n.putArray("objects");
        for (ObjectKey k : d.objects()) {
            ObjectNode o = objects.addObject();
            o.put("kind", k.kind().apiKind());
            if (k.namespace() != null) {
                o.put("namespace", k.namespace());
            }
            o.put("name", k.name());
        }
        if (d.rule().isPresent()) {
            ObjectNode r = n.putObject("rule");
            r.put("index", d.rule().get().index());
            r.put("name", d.rule().get().name());
        } else {
            n.putNull("rule");
        }
        return n;
    }

    /** One line of compact JSON. */
    public static String write(Decision d) {
        return MAPPER.writeValueAsString(toNode(d));
    }

    /** The decision a node of {@link #toNode} holds. */
    public static Decision fromNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a decision must be a JSON object, got " + n);
        }
        PolicyType direction = switch (text(n, "direction")) {
            case "ingress" -> PolicyType.INGRESS;
            case "egress" -> PolicyType.EGRESS;
            default -> throw new IllegalArgumentException("decision direction must be \"ingress\" or \"egress\": " + n);
        };
        Decision.Outcome outcome = Decision.Outcome.ofLower(text(n, "outcome"));
        Decision.Cause cause = Decision.Cause.ofWord(text(n, "cause"));
        JsonNode tierNode = n.path("tier");
        Optional<PolicyTier> tier = tierNode.isNull() || tierNode.isMissingNode() ? Optional.empty()
                : Optional.of(PolicyTier.ofWord(text(n, "tier")));
        if (!n.path("objects").isArray()) {
            throw new IllegalArgumentException("decision without an \"objects\" array: " + n);
        }
        List<ObjectKey> objects = new ArrayList<>();
        for (JsonNode o : n.path("objects").values()) {
            String kind = text(o, "kind");
            ObjectKey.Kind k = ObjectKey.Kind.ofApiKind(kind)
                    .orElseThrow(() -> new IllegalArgumentException("unknown object kind \"" + kind + "\": " + o));
            JsonNode ns = o.path("namespace");
            objects.add(new ObjectKey(k, ns.isNull() || ns.isMissingNode() ? null : text(o, "namespace"),
                    text(o, "name")));
        }
        JsonNode ruleNode = n.path("rule");
        Optional<Decision.RuleRef> rule = Optional.empty();
        if (!ruleNode.isNull() && !ruleNode.isMissingNode()) {
            if (!ruleNode.path("index").isIntegralNumber()) {
                throw new IllegalArgumentException("decision rule without a numeric \"index\": " + n);
            }
            rule = Optional.of(new Decision.RuleRef(ruleNode.path("index").asInt(), text(ruleNode, "name")));
        }
        return new Decision(direction, outcome, cause, tier, objects, rule);
    }

    /** The decision {@link #write} wrote. */
    public static Decision read(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a decision: invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("decision without a \"" + field + "\" string: " + n);
        }
        return v.asString();
    }
}
