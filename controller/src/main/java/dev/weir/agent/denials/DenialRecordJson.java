package dev.weir.agent.denials;

import dev.weir.explain.DecisionJson;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link DenialRecord} as one line of JSON ({@code docs/denials.md}, "Records"), its {@code decision} written by
 * {@link DecisionJson}, the code that writes {@code weir explain -o json}'s decisions, so the two compare field by
 * field:
 *
 * <pre>
 * {"time":"2026-12-08T10:15:02.113Z","node":"n1","src":{"ip":"10.244.2.7","pod":"dev/db"},
 *  "dst":{"ip":"10.244.1.5","pod":"dev/web"},"protocol":"TCP","port":80,
 *  "decision":{"direction":"ingress","outcome":"deny","cause":"default-deny","tier":"NetworkPolicy",
 *  "objects":[{"kind":"NetworkPolicy","namespace":"dev","name":"web-from-db"}],"rule":null},"count":3}
 * </pre>
 *
 * {@link #read} takes such a line back (the lab's {@code weir lab denials} reads the agents' files with it), strictly:
 * a missing or mistyped field is an {@link IllegalArgumentException} naming it.
 */
public final class DenialRecordJson {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    /** Always three fraction digits, so the lines sort by time as text. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private DenialRecordJson() {
    }

    public static ObjectNode toNode(DenialRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("time", TIME.format(r.time()));
        n.put("node", r.node());
        end(n.putObject("src"), r.source());
        end(n.putObject("dst"), r.destination());
        n.put("protocol", DenialRecord.protocolName(r.protocol()));
        if (r.port() >= 0) {
            n.put("port", r.port());
        } else {
            n.putNull("port");
        }
        n.set("decision", DecisionJson.toNode(r.decision()));
        n.put("count", r.count());
        return n;
    }

    /** One line, without the newline. */
    public static String write(DenialRecord r) {
        return MAPPER.writeValueAsString(toNode(r));
    }

    /** The record {@link #write} wrote. */
    public static DenialRecord read(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a denial record: invalid JSON: " + e.getOriginalMessage());
        }
        return fromNode(n);
    }

    /** The record a node of {@link #toNode} holds. */
    public static DenialRecord fromNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a denial record must be a JSON object, got " + n);
        }
        Instant time;
        try {
            time = Instant.parse(text(n, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("denial record with a \"time\" that is not an instant: " + n);
        }
        JsonNode port = n.path("port");
        if (!port.isNull() && !port.isIntegralNumber()) {
            throw new IllegalArgumentException("denial record without a numeric or null \"port\": " + n);
        }
        if (!n.path("count").isIntegralNumber()) {
            throw new IllegalArgumentException("denial record without a numeric \"count\": " + n);
        }
        return new DenialRecord(time, text(n, "node"), end(n, "src"), end(n, "dst"),
                DenialRecord.protocolNumber(text(n, "protocol")), port.isNull() ? -1 : port.asInt(),
                DecisionJson.fromNode(n.get("decision")), n.path("count").asLong());
    }

    private static DenialRecord.End end(JsonNode record, String field) {
        JsonNode e = record.get(field);
        if (e == null || !e.isObject()) {
            throw new IllegalArgumentException("denial record without a \"" + field + "\" object: " + record);
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(text(e, "ip"));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("denial record whose " + field + ".ip is not an address: " + record);
        }
        JsonNode pod = e.path("pod");
        if (pod.isNull()) {
            return new DenialRecord.End(ip, Optional.empty());
        }
        String[] parts = text(e, "pod").split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("denial record whose " + field + ".pod is not namespace/name: "
                    + record);
        }
        return new DenialRecord.End(ip, Optional.of(ObjectKey.pod(parts[0], parts[1])));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("denial record without a \"" + field + "\" string: " + n);
        }
        return v.asString();
    }

    private static void end(ObjectNode n, DenialRecord.End e) {
        n.put("ip", e.ip().toString());
        if (e.pod().isPresent()) {
            n.put("pod", e.pod().get().namespacedName());
        } else {
            n.putNull("pod");
        }
    }
}
