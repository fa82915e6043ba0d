package dev.weir.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.bench.ClusterGenerator;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** On a generated cluster of realistic shape, updates leave the graph a fresh build of the end state would give. */
class CompilerAtScaleTest {

    @Test
    void updatesEqualAFreshBuildOnAGeneratedCluster() {
        ClusterSnapshot snapshot = ClusterGenerator.generate(3000, 300, 30, 7);
        IncrementalGraph incremental = IncrementalGraph.of(snapshot);
        PolicyGraph compiled = incremental.graph();
        assertThat(compiled.groups()).hasSizeGreaterThan(100);
        assertThat(compiled.groups().values().stream().mapToInt(g -> g.members().size()).sum())
                .isGreaterThan(3000);

        Random random = new Random(7);
        Endpoint relabelled = ClusterGenerator.pod(5, 30, 3000, random);
        relabelled = new Endpoint(relabelled.namespace(), relabelled.name(), Map.of("app", "app-3", "tier", "db"),
                relabelled.ips(), relabelled.node(), false, relabelled.phase(), relabelled.ports());
        incremental.apply(new ClusterEvent.Upserted(relabelled));
        incremental.apply(new ClusterEvent.Upserted(new Namespace(ClusterGenerator.namespaceName(3),
                Map.of("team", "team-0", "env", "prod"))));
        incremental.apply(new ClusterEvent.Deleted(ObjectKey.networkPolicy(ClusterGenerator.namespaceName(0), "np-0")));
        assertThat(incremental.graph()).isEqualTo(PolicyCompiler.compile(Fixtures.snapshotOf(incremental.graph())));
    }

    @Test
    void duplicateKeysInASnapshotKeepTheLastLikeRepeatedPuts() {
        Endpoint first = Fixtures.pod("default", "a").ip("10.0.0.1").build();
        Endpoint second = Fixtures.pod("default", "a").ip("10.0.0.2").build();
        PolicyGraph g = PolicyCompiler.compile(new ClusterSnapshot(List.of(), List.of(first, second), List.of()));
        assertThat(g.endpoints()).hasSize(1);
        assertThat(g.endpoint("default/a")).isEqualTo(second);
    }
}
