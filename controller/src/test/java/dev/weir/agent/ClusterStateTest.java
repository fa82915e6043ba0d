package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incrementally kept graph must always equal a full compile of the same state. */
class ClusterStateTest {

    @Test
    void incrementalGraphEqualsAFullCompileThroughChangesDeletesAndResyncs() {
        List<Change> all = AgentLatencyBenchmark.bulk(); // 100 namespaces, 10,000 pods, 1,000 policies
        List<Change> bulk = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Change c = all.get(i);
            if (!(c instanceof Change.PodUpsert) || i % 7 == 0) {
                bulk.add(c);
            }
        }
        ClusterState state = new ClusterState();
        state.replaceAll(bulk);
        assertThat(state.graph()).isEqualTo(PolicyCompiler.compile(state.snapshot()));

        Random random = new Random(7);
        List<Change> shuffled = new ArrayList<>(bulk);
        for (int round = 0; round < 5; round++) {
            java.util.Collections.shuffle(shuffled, random);
            List<Change> subset = shuffled.subList(0, bulk.size() / 2 + random.nextInt(bulk.size() / 2));
            assertThat(state.replaceAll(subset)).isTrue();
            assertThat(state.graph()).isEqualTo(PolicyCompiler.compile(state.snapshot()));
            assertThat(state.replaceAll(subset)).as("an idle resync changes nothing").isFalse();
        }
    }
}
