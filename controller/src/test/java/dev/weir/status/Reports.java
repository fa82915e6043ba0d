package dev.weir.status;

import dev.weir.model.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Test fixtures: node reports built with small lambdas, {@code report("a", r -> r.enforces(WEB, "u1", 2))}. */
final class Reports {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration STALE_AFTER = Duration.ofSeconds(90);
    static final ObjectKey WEB = ObjectKey.networkPolicy("shop", "web");
    static final ObjectKey DENY = ObjectKey.clusterNetworkPolicy("deny-all");

    private Reports() {
    }

    /** A node that wrote 10 s ago, applied 20 s ago, enforces what {@code f} adds and has never failed. */
    static NodeReport report(String node, UnaryOperator<Builder> f) {
        return f.apply(new Builder(node)).build();
    }

    static PolicyObject policy(ObjectKey key, String uid, long generation) {
        return new PolicyObject(key, uid, generation);
    }

    static final class Builder {
        private final String node;
        private Instant heartbeat = NOW.minusSeconds(10);
        private Instant applied = NOW.minusSeconds(20);
        private int count = -1;
        private final Map<ObjectKey, NodeReport.Applied> policies = new TreeMap<>();
        private final Map<ObjectKey, NodeReport.Rejected> rejected = new TreeMap<>();
        private NodeReport.Failure failure;
        private int failures;

        Builder(String node) {
            this.node = node;
        }

        Builder heartbeat(Instant at) {
            heartbeat = at;
            return this;
        }

        Builder applied(Instant at) {
            applied = at;
            return this;
        }

        Builder enforces(ObjectKey key, String uid, Long generation) {
            policies.put(key, new NodeReport.Applied(uid, generation, NOW.minusSeconds(30)));
            return this;
        }

        Builder rejects(ObjectKey key, String uid, long generation, String message) {
            rejected.put(key, new NodeReport.Rejected(uid, generation, message));
            return this;
        }

        Builder policyCount(int n) {
            count = n;
            return this;
        }

        Builder failing(int times, String message) {
            failures = times;
            failure = new NodeReport.Failure(NOW.minusSeconds(3), message);
            return this;
        }

        NodeReport build() {
            return new NodeReport(node, "test", heartbeat, Duration.ofSeconds(30), applied, "0123456789abcdef",
                    count < 0 ? policies.size() : count, new TreeMap<>(policies), new TreeMap<>(rejected), failure,
                    failures);
        }
    }
}
