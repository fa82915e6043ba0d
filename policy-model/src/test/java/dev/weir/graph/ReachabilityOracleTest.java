package dev.weir.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On random clusters (NetworkPolicies, ClusterNetworkPolicies, Node objects, pods sharing addresses), compile +
 * Reachability give the verdict of the plain reading of the spec for every packet.
 */
class ReachabilityOracleTest {

    private static final int[] PORTS = {53, 80, 8080};

    @Test
    void everyVerdictEqualsThePlainReadingOfTheSpec() {
        int checked = 0;
        int allowed = 0;
        int byClusterPolicy = 0;
        int byNodes = 0;
        int displaced = 0;
        for (long seed = 1; seed <= 40; seed++) {
            RandomCluster random = new RandomCluster(seed);
            IncrementalGraph state = new IncrementalGraph();
            for (int i = 0; i < 80; i++) {
                state.apply(random.nextEvent());
            }
            ClusterSnapshot snapshot = Fixtures.snapshotOf(state.graph());
            PolicyGraph graph = PolicyCompiler.compile(snapshot);
            List<NetworkPolicy> sources = snapshot.policies();
            List<ClusterPolicy> clusterSources = snapshot.clusterPolicies();
            Reachability reachability = new Reachability(graph);
            List<Endpoint> pods = snapshot.endpoints();
            SpecOracle oracle = new SpecOracle(graph.namespaces(), pods, sources, clusterSources,
                    graph.nodes().values());
            SpecOracle withoutNodes = new SpecOracle(graph.namespaces(), pods, sources, clusterSources, List.of());
            displaced += graph.displaced().size();
            for (Endpoint src : pods) {
                for (Endpoint dst : pods) {
                    for (IpFamily family : IpFamily.values()) {
                        for (Protocol protocol : Protocol.values()) {
                            for (int port : PORTS) {
                                boolean expected = oracle.allows(src, dst, port, protocol, family);
                                if (expected != withoutNodes.allows(src, dst, port, protocol, family)) {
                                    byNodes++;
                                }
                                // the graph's records, as explain passes them; the reported ones must read the same
                                Verdict v = reachability.evaluate(graph.endpoint(src.key().namespacedName()),
                                        graph.endpoint(dst.key().namespacedName()), port, protocol, family);
                                boolean actual = v.allowed();
                                assertThat(reachability.evaluate(src, dst, port, protocol, family)).isEqualTo(v);
                                if (v.egress().decidedBy() != null || v.ingress().decidedBy() != null
                                        || v.egress().passedBy() != null || v.ingress().passedBy() != null) {
                                    byClusterPolicy++;
                                }
                                assertThat(actual).as("seed %d: %s -> %s %d/%s %s", seed, src, dst, port, protocol,
                                        family).isEqualTo(expected);
                                checked++;
                                allowed += expected ? 1 : 0;
                            }
                        }
                    }
                }
            }
        }
        // the random clusters must exercise both outcomes, or the comparison proves little
        assertThat(allowed).isGreaterThan(checked / 10).isLessThan(checked - checked / 10);
        assertThat(byClusterPolicy).as("verdicts a ClusterNetworkPolicy took part in").isGreaterThan(checked / 10);
        assertThat(byNodes).as("verdicts a nodes peer decided").isGreaterThan(100);
        // pods sharing an address must happen, or the rule that one of them holds it goes unchecked
        assertThat(displaced).as("displaced pods").isGreaterThan(40);
    }
}
