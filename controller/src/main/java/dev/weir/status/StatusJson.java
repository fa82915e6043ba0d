package dev.weir.status;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code weir status -o json}, documented field by field in {@code docs/status.md}:
 *
 * <pre>
 * {"time":"...","staleAfterSeconds":180,"notes":[],
 *  "policies":[{"kind":"NetworkPolicy","namespace":"x","name":"deny","uid":"...","generation":2,
 *               "enforced":"1/2","enforcing":1,"expected":2,"rejection":null,
 *               "nodes":{"a":{"state":"enforcing","generation":2,"since":"..."},
 *                        "b":{"state":"lagging","reason":"OlderGeneration","generation":1,"message":"...",
 *                             "failure":{"time":"...","message":"..."}},
 *                        "c":{"state":"stale","reason":"Silent","message":"...","lastHeartbeatTime":"..."}},
 *               "lagging":["b"],"stale":["c"]}],
 *  "nodes":[{"name":"a","state":"ok","reason":null,"agentVersion":"...","lastHeartbeatTime":"...",
 *            "lastAppliedTime":"...","rulesetHash":"...","policyCount":3,"consecutiveFailures":0,
 *            "lastFailure":null}]}
 * </pre>
 */
public final class StatusJson {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();

    private StatusJson() {
    }

    public static String write(List<PolicyEnforcement> policies, List<NodeStatus> nodes, List<String> notes,
            Instant now, Duration staleAfter) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("time", now.toString());
        root.put("staleAfterSeconds", staleAfter.toSeconds());
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        ArrayNode ps = root.putArray("policies");
        policies.forEach(p -> policy(ps.addObject(), p));
        ArrayNode ns = root.putArray("nodes");
        nodes.forEach(s -> node(ns.addObject(), s));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static void policy(ObjectNode o, PolicyEnforcement p) {
        o.put("kind", p.policy().key().kind().apiKind());
        if (p.policy().key().namespace() != null) {
            o.put("namespace", p.policy().key().namespace());
        }
        o.put("name", p.policy().key().name());
        o.put("uid", p.policy().uid());
        o.put("generation", p.policy().generation());
        o.put("enforced", p.enforced());
        o.put("enforcing", p.enforcing());
        o.put("expected", p.expected());
        o.put("rejection", p.rejection().orElse(null));
        ObjectNode nodes = o.putObject("nodes");
        for (Map.Entry<String, NodeVerdict> e : p.nodes().entrySet()) {
            verdict(nodes.putObject(e.getKey()), e.getValue());
        }
        ArrayNode lagging = o.putArray("lagging");
        p.lagging().keySet().forEach(lagging::add);
        ArrayNode stale = o.putArray("stale");
        p.stale().keySet().forEach(stale::add);
    }

    private static void verdict(ObjectNode o, NodeVerdict v) {
        if (v instanceof NodeVerdict.Enforcing e) {
            o.put("state", "enforcing");
            o.put("generation", e.generation());
            o.put("since", time(e.since()));
        } else if (v instanceof NodeVerdict.Lagging l) {
            o.put("state", "lagging");
            o.put("reason", l.lag().getClass().getSimpleName());
            if (l.lag() instanceof Lag.OlderGeneration g) {
                o.put("generation", g.generation());
            }
            o.put("message", l.lag().describe());
            l.failure().ifPresent(f -> failure(o.putObject("failure"), f));
        } else if (v instanceof NodeVerdict.Stale s) {
            o.put("state", "stale");
            staleness(o, s.staleness());
        } else {
            throw new AssertionError(v);
        }
    }

    private static void staleness(ObjectNode o, Staleness s) {
        o.put("reason", s.getClass().getSimpleName());
        o.put("message", s.describe());
        if (s instanceof Staleness.Silent silent) {
            o.put("lastHeartbeatTime", silent.heartbeat().toString());
        }
    }

    private static void node(ObjectNode o, NodeStatus n) {
        o.put("name", n.node());
        NodeReport r = n.report().orElse(null);
        o.put("state", n.state());
        if (n.stale()) {
            staleness(o, n.staleness().get());
        }
        if (r == null) {
            return;
        }
        o.put("agentVersion", r.agentVersion());
        o.put("lastHeartbeatTime", time(r.heartbeat()));
        o.put("heartbeatIntervalSeconds", r.heartbeatInterval() == null ? null : r.heartbeatInterval().toSeconds());
        o.put("lastAppliedTime", time(r.lastApplied()));
        o.put("rulesetHash", r.rulesetHash());
        o.put("policyCount", r.policyCount());
        o.put("consecutiveFailures", r.consecutiveFailures());
        if (r.lastFailure() == null) {
            o.putNull("lastFailure");
        } else {
            failure(o.putObject("lastFailure"), r.lastFailure());
        }
    }

    private static void failure(ObjectNode o, NodeReport.Failure f) {
        o.put("time", time(f.time()));
        o.put("message", f.message());
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
