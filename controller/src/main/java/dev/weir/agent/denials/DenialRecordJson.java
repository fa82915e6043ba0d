package dev.weir.agent.denials;

import dev.weir.explain.DecisionJson;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    private static void end(ObjectNode n, DenialRecord.End e) {
        n.put("ip", e.ip().toString());
        if (e.pod().isPresent()) {
            n.put("pod", e.pod().get().namespacedName());
        } else {
            n.putNull("pod");
        }
    }
}
