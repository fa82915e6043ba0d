package dev.weir.explain;

import dev.weir.graph.Decision;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link TruthTable} (documented field by field in {@code docs/explain.md}):
 *
 * <pre>
 * {"pods":["x/a","x/b"],
 *  "notes":["..."],
 *  "verdicts":[{"from":"x/a","to":"x/b","port":80,"protocol":"TCP","verdict":"allow","reasons":["..."],
 *               "decisions":[{...},{...}]}]}
 * </pre>
 *
 * Each of {@code decisions} is written by {@link DecisionJson}, the form denial records share. {@code pods},
 * {@code notes}, {@code reasons} and {@code decisions} are optional when reading; without {@code pods} the order is
 * that of first appearance in {@code verdicts}.
 */
public final class TruthTableJson {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();

    private TruthTableJson() {
    }

    public static String write(TruthTable table, List<String> notes) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toNode(table, notes)) + "\n";
    }

    /** The document {@link #write} prints, as a node (the HTML page embeds it compactly). */
    public static ObjectNode toNode(TruthTable table, List<String> notes) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode pods = root.putArray("pods");
        table.pods().forEach(pods::add);
        ArrayNode targets = root.putArray("targets");
        table.targets().forEach(t -> targets.add(t.toString()));
        ArrayNode notesNode = root.putArray("notes");
        notes.forEach(notesNode::add);
        ArrayNode verdicts = root.putArray("verdicts");
        for (TruthTable.Entry e : table.entries()) {
            ObjectNode v = verdicts.addObject();
            v.put("from", e.from());
            v.put("to", e.to());
            v.put("port", e.target().port());
            v.put("protocol", e.target().protocol().name());
            v.put("verdict", e.cell().allowed() ? "allow" : "deny");
            ArrayNode reasons = v.putArray("reasons");
            e.cell().reasons().forEach(reasons::add);
            ArrayNode decisions = v.putArray("decisions");
            e.cell().decisions().forEach(d -> decisions.add(DecisionJson.toNode(d)));
        }
        return root;
    }

    /** Reads the JSON form back; a malformed document is an {@link IllegalArgumentException} naming the problem. */
    public static TruthTable read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a truth table: invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("verdicts").isArray()) {
            throw new IllegalArgumentException("not a truth table: no \"verdicts\" array");
        }
        LinkedHashSet<String> pods = new LinkedHashSet<>();
        root.path("pods").values().forEach(p -> pods.add(p.asString()));
        List<JsonNode> verdicts = new ArrayList<>(root.path("verdicts").values());
        for (JsonNode v : verdicts) {
            pods.add(text(v, "from"));
            pods.add(text(v, "to"));
        }
        TruthTable.Builder b = TruthTable.builder(new ArrayList<>(pods));
        root.path("targets").values().forEach(t -> b.target(PortProtocol.parse(t.asString())));
        for (JsonNode v : verdicts) {
            String verdict = text(v, "verdict");
            if (!verdict.equals("allow") && !verdict.equals("deny")) {
                throw new IllegalArgumentException("verdict must be \"allow\" or \"deny\", got \"" + verdict + "\"");
            }
            if (!v.path("port").isNumber()) {
                throw new IllegalArgumentException("verdict without a numeric \"port\": " + v);
            }
            List<String> reasons = new ArrayList<>();
            v.path("reasons").values().forEach(r -> reasons.add(r.asString()));
            List<Decision> decisions = new ArrayList<>();
            v.path("decisions").values().forEach(d -> decisions.add(DecisionJson.fromNode(d)));
            PortProtocol target = new PortProtocol(v.path("port").asInt(), Protocol.parse(text(v, "protocol")));
            b.set(text(v, "from"), text(v, "to"), target,
                    new TruthTable.Cell(verdict.equals("allow"), reasons, decisions));
        }
        return b.build();
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        if (n == null || !n.isString()) {
            throw new IllegalArgumentException("verdict without a \"" + field + "\" string: " + v);
        }
        return n.asString();
    }
}
