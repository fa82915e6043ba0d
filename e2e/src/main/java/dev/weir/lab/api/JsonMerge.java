package dev.weir.lab.api;

import java.util.ArrayList;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch, used to turn kubectl's strategic-merge patches into whole-object updates the mock
 * accepts. Directive keys of strategic merge ({@code $setElementOrder/...}, {@code $patch}, {@code $retainKeys}) are
 * dropped first; lists are then replaced whole, which is what kubectl's last-applied three-way patch expects for
 * every list a NetworkPolicy or a lab Pod carries.
 */
public final class JsonMerge {

    private JsonMerge() {
    }

    /** Returns {@code target} with {@code patch} merged in (may be a new node when either is not an object). */
    public static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy()
                : ((ObjectNode) patch).objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$")) {
                continue;
            }
            if (value.isNull()) {
                out.remove(key);
            } else {
                out.set(key, merge(out.get(key), value));
            }
        }
        return out;
    }

    /** Removes strategic-merge directive keys ({@code $...}) at every depth, in place. */
    public static JsonNode stripDirectives(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (String k : new ArrayList<>(o.propertyNames())) {
                if (k.startsWith("$")) {
                    o.remove(k);
                } else {
                    stripDirectives(o.get(k));
                }
            }
        } else if (node.isArray()) {
            node.forEach(JsonMerge::stripDirectives);
        }
        return node;
    }
}
