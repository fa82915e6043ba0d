package dev.weir.status;

import dev.weir.model.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which policies are in force on which nodes: the one computation behind {@code weir status} and the controller's
 * {@code Enforced} condition and {@code weir.dev/enforced} annotation, so both say the same thing (use it, do not
 * write a second). Pure: the policies as the API server holds them, the nodes, the agents' reports, the time and the
 * stale-after limit go in; per policy a {@link PolicyEnforcement}, per node a {@link NodeStatus} come out, both sorted.
 *
 * <p>A node enforces a policy when its agent is alive (its report's heartbeat is at most {@code staleAfter} old) and
 * its last successful apply holds that policy object (same uid) at the current generation or a newer one. An alive
 * node that does not lags, with the reason ({@link Lag}) and its failure if its syncs fail. A node without a report,
 * or whose report is older than the limit, is stale: counted among the nodes that should enforce the policy, never
 * among those that do.
 */
public record Enforcement(List<PolicyEnforcement> policies, List<NodeStatus> nodes) {

    public Enforcement {
        policies = List.copyOf(policies);
        nodes = List.copyOf(nodes);
    }

    /**
     * @param nodes the cluster's nodes (its Node objects); reports of other names are ignored (an orphan goes with its
     *     Node)
     * @param span which of the nodes should enforce each policy
     */
    public static Enforcement compute(Collection<PolicyObject> policies, Collection<String> nodes,
            Collection<NodeReport> reports, Span span, Instant now, Duration staleAfter) {
        Objects.requireNonNull(now, "now");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be longer than 0, not " + staleAfter);
        }
        Map<String, NodeReport> byNode = reports.stream()
                .collect(Collectors.toMap(NodeReport::node, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("two reports for node " + a.node());
                }));
        SortedSet<String> names = new TreeSet<>(nodes);
        SortedMap<String, NodeStatus> statuses = new TreeMap<>();
        for (String n : names) {
            Optional<NodeReport> r = Optional.ofNullable(byNode.get(n));
            statuses.put(n, new NodeStatus(n, r, staleness(r, now, staleAfter)));
        }
        // which live nodes reject what, gathered once: asking every node for every policy is policies × nodes
        // lookups (50,000 × 5,000 took 12 s a computation, and the controller computes every 5 s)
        Map<ObjectKey, List<NodeReport.Rejected>> rejectedBy = new HashMap<>();
        for (NodeStatus n : statuses.values()) {
            if (!n.stale()) {
                n.report().get().rejected().forEach((k, r) -> rejectedBy.computeIfAbsent(k, x -> new ArrayList<>())
                        .add(r));
            }
        }
        List<PolicyEnforcement> out = new ArrayList<>();
        policies.stream().sorted((a, b) -> a.key().compareTo(b.key())).forEach(p -> {
            SortedMap<String, NodeVerdict> verdicts = new TreeMap<>();
            for (String n : span.nodesFor(p.key(), java.util.Collections.unmodifiableSortedSet(names))) {
                verdicts.put(n, verdict(p, statuses.get(n)));
            }
            out.add(new PolicyEnforcement(p, verdicts, rejection(p, rejectedBy.getOrDefault(p.key(), List.of()))));
        });
        return new Enforcement(out, List.copyOf(statuses.values()));
    }

    /** The enforcement of one policy, if it was among those computed. */
    public Optional<PolicyEnforcement> policy(ObjectKey key) {
        return policies.stream().filter(p -> p.policy().key().equals(key)).findFirst();
    }

    private static Optional<Staleness> staleness(Optional<NodeReport> report, Instant now, Duration staleAfter) {
        if (report.isEmpty()) {
            return Optional.of(new Staleness.NoReport());
        }
        Instant heartbeat = report.get().heartbeat();
        if (heartbeat == null) {
            return Optional.of(new Staleness.NoHeartbeat());
        }
        Duration age = Duration.between(heartbeat, now);
        // a heartbeat from the future (clocks apart) is fresh
        return age.compareTo(staleAfter) > 0 ? Optional.of(new Staleness.Silent(heartbeat, age)) : Optional.empty();
    }

    private static NodeVerdict verdict(PolicyObject p, NodeStatus node) {
        if (node.staleness().isPresent()) {
            return new NodeVerdict.Stale(node.staleness().get());
        }
        NodeReport r = node.report().orElseThrow();
        Optional<NodeReport.Failure> failure = r.failing()
                ? Optional.of(r.lastFailure() != null ? r.lastFailure()
                        : new NodeReport.Failure(null, r.consecutiveFailures() + " syncs failed"))
                : Optional.empty();
        NodeReport.Applied a = r.policies().get(p.key());
        NodeReport.Rejected rejected = r.rejected().get(p.key());
        Lag lag;
        if (a != null && sameObject(p.uid(), a.uid()) && atLeast(a.generation(), p.generation())) {
            return new NodeVerdict.Enforcing(a.generation(), a.since());
        } else if (rejected != null && sameObject(p.uid(), rejected.uid())
                && atLeast(rejected.generation(), p.generation())) {
            lag = new Lag.Rejected(rejected.message() == null ? "invalid" : rejected.message());
        } else if (a != null && !sameObject(p.uid(), a.uid())) {
            lag = new Lag.OtherObject(a.uid());
        } else if (a != null) {
            lag = new Lag.OlderGeneration(a.generation());
        } else if (r.lastApplied() == null) {
            lag = new Lag.NeverApplied();
        } else if (!r.complete()) {
            lag = new Lag.ListCut(r.policies().size(), r.policyCount());
        } else {
            lag = new Lag.NotListed();
        }
        return new NodeVerdict.Lagging(lag, failure);
    }

    /** What an alive node says about this version being invalid; the agents judge alike, so one message stands. */
    /** The first rejection of this version of the policy by a live node, in node order. */
    private static Optional<String> rejection(PolicyObject p, List<NodeReport.Rejected> byLiveNodes) {
        return byLiveNodes.stream()
                .filter(r -> sameObject(p.uid(), r.uid()) && atLeast(r.generation(), p.generation()))
                .map(r -> r.message() == null ? "invalid" : r.message()).findFirst();
    }

    private static boolean sameObject(String current, String reported) {
        return current == null || reported == null || current.equals(reported);
    }

    /** The reported generation is the current one or newer; unknown on either side counts as the same. */
    private static boolean atLeast(Long reported, Long current) {
        return reported == null || current == null || reported >= current;
    }
}
