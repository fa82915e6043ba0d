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

/** The indexed compiler and the incremental graph agree on a generated cluster of realistic shape. */
class CompilerAtScaleTest {

    @Test
    void compileEqualsIncrementalBuildAndUpdatesOnAGeneratedCluster() {
        ClusterSnapshot snapshot = ClusterGenerator.generate(3000, 300, 30, 7);
        PolicyGraph compiled = PolicyCompiler.compile(snapshot);
        IncrementalGraph incremental = IncrementalGraph.of(snapshot);
        assertThat(incremental.graph()).isEqualTo(compiled);
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
        assertThat(incremental.graph()).isEqualTo(PolicyCompiler.compile(new ClusterSnapshot(
                List.copyOf(incremental.graph().namespaces().values()),
                List.copyOf(incremental.graph().endpoints().values()),
                incremental.graph().policies().values().stream().map(CompiledPolicy::source).toList())));
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
