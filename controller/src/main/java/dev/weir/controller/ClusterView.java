package dev.weir.controller;

import dev.weir.agent.Change;
import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.ClusterState;
import dev.weir.agent.ObjectTranslator;
import dev.weir.agent.Rejection;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.graph.ClusterEvent;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import dev.weir.status.Enforcement;
import dev.weir.status.GraphSpan;
import dev.weir.status.NodeReport;
import dev.weir.status.PolicyObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The controller's view of the cluster, owned by its reconcile thread. The objects go through the node agents'
 * {@link ChangeTranslator} into their {@link ClusterState} (the same graph an agent builds, pods included), so that
 * the verdict on a policy is the agents' own (a rejection by a translator, or by the state when a policy's compilation
 * throws) and the nodes that should enforce a policy are those of the pods it judges ({@link GraphSpan}: the policies
 * an agent lists in its report). Beside it: each policy as the informer holds it, whole (what writes compare with), the
 * Node names, and each node's last report.
 */
final class ClusterView {

    /**
     * What weir makes of one policy version: accepted, with {@code caveats}, or rejected, with {@code rejection}
     * saying why.
     */
    record Verdict(ObjectKey key, HasMetadata object, Optional<Rejection> rejection, List<Diagnostic> caveats) {

        boolean accepted() {
            return rejection.isEmpty();
        }

        /** The diagnostics the verdict names: the errors of a rejection, else the caveats. */
        List<Diagnostic> diagnostics() {
            return rejection.map(Rejection::diagnostics).orElse(caveats);
        }
    }

    private final ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
    private final ClusterState state = new ClusterState();
    private final TreeMap<ObjectKey, HasMetadata> policies = new TreeMap<>();
    private final Map<ObjectKey, List<Diagnostic>> caveats = new HashMap<>();
    private final SortedSet<String> nodes = new TreeSet<>();
    private final Map<String, NodeReport> reports = new HashMap<>();

    /** An object's latest version (a policy, pod, namespace or node), translated as the agents translate it. */
    void upsert(HasMetadata object) {
        ChangeTranslator.Translation t = translator.upsert(object);
        ObjectKey key = t.change().key();
        if (isPolicy(object)) {
            policies.put(key, object);
            caveats.put(key, t.change() instanceof Change.Event ? t.diagnostics() : List.of());
        } else if (key.kind() == ObjectKey.Kind.NODE) {
            nodes.add(key.name()); // also a Node the translator leaves out: the node is there, its agent reports
        }
        state.apply(t.change());
    }

    void delete(ObjectKey key) {
        policies.remove(key);
        caveats.remove(key);
        if (key.kind() == ObjectKey.Kind.NODE) {
            nodes.remove(key.name());
        }
        state.apply(new Change.Event(new ClusterEvent.Deleted(key)));
    }

    /**
     * Makes the view equal to the caches (a full resync: a missed event is repaired): every object {@code everything}
     * hands over translated again, what it no longer holds deleted. It hands them one at a time, read back from the
     * caches as they come: read back all at once they would be ≈ 260 MiB at 150,000 pods, on top of the live heap
     * (docs/benchmarks.md, "The controller at Kubernetes' limits"); only their translated records are held until the
     * state has taken them, as an agent's resync holds them.
     */
    void replaceAll(Consumer<Consumer<HasMetadata>> everything) {
        policies.clear();
        caveats.clear();
        nodes.clear();
        List<Change> changes = new ArrayList<>();
        everything.accept(o -> {
            ChangeTranslator.Translation t = translator.upsert(o);
            ObjectKey key = t.change().key();
            if (isPolicy(o)) {
                policies.put(key, o);
                caveats.put(key, t.change() instanceof Change.Event ? t.diagnostics() : List.of());
            } else if (key.kind() == ObjectKey.Kind.NODE) {
                nodes.add(key.name());
            }
            changes.add(t.change());
        });
        state.replaceAll(changes);
    }

    /** Every node's latest report, replacing those the view held (a full resync). */
    void replaceReports(Map<String, NodeReport> latestReports) {
        reports.clear();
        latestReports.forEach((node, r) -> reports.put(node, sharing(r)));
    }

    /** The node's latest report, or its absence. */
    void report(String node, Optional<NodeReport> report) {
        report.ifPresentOrElse(r -> reports.put(node, sharing(r)), () -> reports.remove(node));
    }

    /**
     * The report with each listed policy's key and uid the very objects the view holds for that policy, where they are
     * equal: a read report has its own strings, ≈ 200 bytes a listed policy, and 5,000 nodes list tens of thousands
     * (docs/benchmarks.md, "The controller at Kubernetes' limits").
     */
    private NodeReport sharing(NodeReport r) {
        SortedMap<ObjectKey, NodeReport.Applied> listed = new TreeMap<>();
        r.policies().forEach((k, a) -> {
            ObjectKey held = policies.ceilingKey(k);
            if (held == null || !held.equals(k)) {
                listed.put(k, a);
                return;
            }
            String uid = policies.get(held).getMetadata().getUid();
            listed.put(held, uid != null && uid.equals(a.uid()) ? new NodeReport.Applied(uid, a.generation(), a.since())
                    : a);
        });
        return new NodeReport(r.node(), r.agentVersion(), r.heartbeat(), r.heartbeatInterval(), r.lastApplied(),
                r.rulesetHash(), r.policyCount(), listed, r.rejected(), r.lastFailure(), r.consecutiveFailures());
    }

    static boolean isPolicy(HasMetadata object) {
        return object instanceof NetworkPolicy || object instanceof ClusterNetworkPolicy;
    }

    /** The verdict on the policy under {@code key}, or empty when there is none. */
    Optional<Verdict> verdict(ObjectKey key) {
        HasMetadata object = policies.get(key);
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(key, object, Optional.ofNullable(state.rejections().get(key)),
                caveats.getOrDefault(key, List.of())));
    }

    /**
     * Which nodes enforce which policy now ({@link Enforcement}, shared with {@code weir status}): every policy as the
     * API server holds it, the Node names, the reports, and the span of each policy in the graph.
     */
    Enforcement enforcement(Instant now, Duration staleAfter) {
        List<PolicyObject> objects = new ArrayList<>();
        policies.forEach((k, o) -> objects.add(new PolicyObject(k, o.getMetadata().getUid(),
                o.getMetadata().getGeneration())));
        return Enforcement.compute(objects, nodes, reports.values(), GraphSpan.of(state.graph()), now, staleAfter);
    }

    /** The longest heartbeat interval the reports announce (zero without reports): what a stale limit must exceed. */
    Duration longestHeartbeat() {
        return reports.values().stream().map(NodeReport::heartbeatInterval)
                .filter(d -> d != null && !d.isNegative()).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The graph the agents would build from the same objects. */
    PolicyGraph graph() {
        return state.graph();
    }

    /** Every policy's key, in key order. */
    List<ObjectKey> keys() {
        return List.copyOf(policies.keySet());
    }

    Map<ObjectKey, HasMetadata> policies() {
        return Collections.unmodifiableSortedMap(policies);
    }

    int size() {
        return policies.size();
    }

    int rejected() {
        return state.rejections().size();
    }
}
