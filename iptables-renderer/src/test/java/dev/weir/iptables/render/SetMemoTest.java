package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.GraphDelta;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyCompiler;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A render that reuses the sets of unchanged groups, and patches those of changed groups from the events' deltas,
 * gives exactly the ruleset of one that builds every set.
 */
class SetMemoTest {

    @Test
    void renderingWithAMemoAfterEveryBatchEqualsRenderingTheFullCompile() {
        int reused = 0;
        for (long seed = 1; seed <= 30; seed++) {
            RandomEvents events = new RandomEvents(seed);
            IncrementalGraph graph = new IncrementalGraph();
            events.start().forEach(graph::apply);
            // one memo per node, as each node's agent has its own
            Map<String, SetMemo> memos = Map.of("n1", new SetMemo(), "n2", new SetMemo());
            for (int step = 0; step < 30; step++) {
                for (ClusterEvent e : events.nextBatch()) {
                    GraphDelta delta = graph.apply(e);
                    memos.values().forEach(m -> m.changed(delta));
                }
                for (String node : RandomClusters.NODES) {
                    reused += memos.get(node).size();
                    Ruleset withMemo = IptablesRenderer.render(graph.graph(), node, RenderOptions.defaults(),
                            LocalNetwork.none(), memos.get(node));
                    assertThat(withMemo).as("seed %d step %d node %s", seed, step, node)
                            .isEqualTo(IptablesRenderer.render(PolicyCompiler.compile(events.snapshot()), node));
                }
            }
        }
        assertThat(reused).as("sets the memo offered").isGreaterThan(500);
    }

    @Test
    void anUnchangedGroupsSetIsTheSameObjectAndAReaddressedMembersGroupIsBuiltAgain() {
        Cluster c = Cluster.cluster().namespace("a", "").namespace("b", "")
                .pod("a/web", "n1", "10.0.0.1", "app=web")
                .pod("a/db", "n2", "10.0.0.2", "app=db")
                .pod("b/api", "n2", "10.0.0.3", "app=api")
                .policy("a/web", p -> p.select("app=web").ingress(Cluster.rule(Cluster.peers(Cluster.pods("app=db")))))
                .policy("a/web2", p -> p.select("app=web").ingress(Cluster.rule(Cluster.peers(
                        Cluster.nsPods("kubernetes.io/metadata.name=b", "")))));
        IncrementalGraph graph = IncrementalGraph.of(c.snapshot());
        SetMemo memo = new SetMemo();
        Map<List<String>, IpSetSpec> first = byMembers(render(graph, memo));

        Endpoint api = (Endpoint) c.snapshot().endpoints().stream().filter(e -> e.key().equals(ObjectKey.pod("b", "api")))
                .findFirst().orElseThrow();
        graph.apply(new ClusterEvent.Upserted(api.withIps(List.of(IpAddress.parse("10.0.0.9")))));
        Map<List<String>, IpSetSpec> second = byMembers(render(graph, memo));

        assertThat(second.get(List.of("10.0.0.2"))).as("the db group's set, untouched").isSameAs(
                first.get(List.of("10.0.0.2")));
        assertThat(second).containsKey(List.of("10.0.0.9")).doesNotContainKey(List.of("10.0.0.3"));
    }

    @Test
    void aChangedGroupsSetIsPatchedFromTheDeltaKeepingItsOtherMembersAsTheyWere() {
        Cluster c = Cluster.cluster().namespace("a", "");
        for (int i = 0; i < 100; i++) {
            c.pod("a/p" + i, "n2", "10.0.1." + i, "app=db");
        }
        c.pod("a/web", "n1", "10.0.0.1", "app=web")
                .policy("a/web", p -> p.select("app=web").ingress(Cluster.rule(Cluster.peers(Cluster.pods("app=db")))));
        IncrementalGraph graph = IncrementalGraph.of(c.snapshot());
        SetMemo memo = new SetMemo();
        IpSetSpec before = dbSet(render(graph, memo));
        Endpoint p7 = graph.graph().endpoint("a/p7");

        memo.changed(graph.apply(new ClusterEvent.Upserted(p7.withIps(List.of(IpAddress.parse("10.0.2.7"))))));
        memo.changed(graph.apply(new ClusterEvent.Deleted(ObjectKey.pod("a", "p8"))));
        IpSetSpec patched = dbSet(render(graph, memo));

        assertThat(patched.members()).hasSize(99).contains("10.0.2.7").doesNotContain("10.0.1.7", "10.0.1.8");
        assertThat(patched).as("what a render without memo builds").isEqualTo(IptablesRenderer.render(graph.graph(), "n1").sets().stream()
                .filter(s -> s.name().equals(patched.name())).findFirst().orElseThrow());
        int kept = before.members().indexOf("10.0.1.50");
        assertThat(patched.members().get(patched.members().indexOf("10.0.1.50")))
                .as("a member carried over, not formatted again").isSameAs(before.members().get(kept));
    }

    private static IpSetSpec dbSet(Ruleset r) {
        return r.sets().stream().filter(s -> s.members().contains("10.0.1.50")).findFirst().orElseThrow();
    }

    private static Ruleset render(IncrementalGraph graph, SetMemo memo) {
        return IptablesRenderer.render(graph.graph(), "n1", RenderOptions.defaults(), LocalNetwork.none(), memo);
    }

    private static Map<List<String>, IpSetSpec> byMembers(Ruleset r) {
        return r.sets().stream().collect(Collectors.toMap(IpSetSpec::members, Function.identity(), (a, b) -> a));
    }
}
