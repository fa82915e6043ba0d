package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.report.EnforcedPolicies;
import dev.weir.graph.ClusterEvent;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.status.GraphSpan;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What an agent lists in its report ({@link EnforcedPolicies}) and what readers expect it to list ({@link GraphSpan},
 * the nodes of the pods a policy judges) are one meaning: on a 10,000-pod graph, every node's list is exactly the
 * policies whose span holds that node, so a reader never counts a node as lagging for a policy it has no rules of.
 */
class EnforcedPoliciesSpanTest {

    @Test
    void everyNodeListsExactlyThePoliciesWhoseSpanHoldsIt() {
        ClusterState state = new ClusterState();
        state.replaceAll(AgentLatencyBenchmark.bulk()); // 100 namespaces, 10,000 pods on 91 nodes, 1,000 policies
        // pods a policy selects that are not policy endpoints: a hostNetwork pod and a finished one, on their own nodes
        state.apply(new Change.Event(new ClusterEvent.Upserted(new Endpoint("ns0", "host", Map.of("app", "app0"),
                List.of(IpAddress.parse("192.168.0.9")), "host-only", true, PodPhase.RUNNING, List.of()))));
        state.apply(new Change.Event(new ClusterEvent.Upserted(new Endpoint("ns0", "done", Map.of("app", "app0"),
                List.of(IpAddress.parse("10.99.0.1")), "done-only", false, PodPhase.SUCCEEDED, List.of()))));
        PolicyGraph graph = state.graph();
        SortedMap<ObjectKey, SortedSet<String>> span = GraphSpan.nodes(graph);

        SortedSet<String> nodes = new TreeSet<>(List.of("host-only", "done-only", "nowhere"));
        graph.endpoints().values().forEach(e -> nodes.add(e.node()));
        for (String node : nodes) {
            SortedSet<ObjectKey> expected = new TreeSet<>();
            span.forEach((policy, on) -> {
                if (on.contains(node)) {
                    expected.add(policy);
                }
            });
            assertThat(EnforcedPolicies.on(graph, node)).as(node).isEqualTo(expected);
        }
        assertThat(EnforcedPolicies.on(graph, "n1")).hasSizeGreaterThan(50);
        assertThat(EnforcedPolicies.on(graph, "host-only")).isEmpty();
        assertThat(EnforcedPolicies.on(graph, "done-only")).isEmpty();
    }
}
