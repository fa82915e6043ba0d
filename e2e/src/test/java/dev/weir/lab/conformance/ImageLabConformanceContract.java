package dev.weir.lab.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.conformance.Scenario;
import dev.weir.conformance.ScenarioCatalogue;
import dev.weir.lab.image.ImageAgentChecks;
import dev.weir.lab.image.ImageFixture;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The conformance catalogue with each node's agent run from the image as the chart runs it ({@code --agents image}),
 * on nodes whose iptables backend is {@link #nodeIptables()}: the image must find the node's backend by itself and
 * enforce every scenario as the in-process agents do, and each agent must be what the chart grants
 * ({@link ImageAgentChecks}). Skipped, saying why, where the image cannot be built (no mmdebstrap, no Debian archive).
 *
 * <p>Which classes and scenarios ({@code -Dweir.lab.image.conformance}): {@code half} (the default, what CI runs)
 * plays the catalogue once across two labs, the even-numbered scenarios on flannel with legacy nodes and the odd ones
 * on canal with nft nodes, so both topologies and both backends are covered; {@code all} plays every scenario on all
 * four combinations; {@code none} skips them. Agent http ports 20610-20649.
 */
abstract class ImageLabConformanceContract extends LabConformanceContract {

    /** {@code nft} or {@code legacy}: what kubelet's hint chains on every node say. */
    abstract String nodeIptables();

    /** In {@code half} mode, the scenarios whose index has this remainder mod 2; -1: this class sits it out. */
    abstract int halfOffset();

    static String mode() {
        return System.getProperty("weir.lab.image.conformance", "half");
    }

    @Override
    List<String> agentArgs() throws Exception {
        assumeTrue(!mode().equals("none") && (mode().equals("all") || halfOffset() >= 0),
                () -> topology() + " with iptables-" + nodeIptables() + " nodes plays with "
                        + "-Dweir.lab.image.conformance=all only");
        return List.of("--agents", "image", "--image", ImageFixture.ensureBuilt().toString(), "--node-iptables",
                nodeIptables());
    }

    @Override
    void awaitAgents() throws Exception {
        long t0 = System.nanoTime();
        ImageFixture.awaitReady(lab, state, Duration.ofMinutes(3));
        System.out.printf("%s, nodes on iptables-%s: image agents ready %d ms after up%n", topology(), nodeIptables(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    void configure(LabScenarioCluster cluster) {
        // the chart's 500 ms minimum sync in a JVM capped at one CPU: a probe right after a write can be dropped by
        // the old ruleset as well as the new, and its denial record would name the old policy
        cluster.awaitAgentsAfterWrites(new AgentQuiescence(state.agents()));
    }

    @Override
    List<Scenario> scenarios() {
        List<Scenario> all = ScenarioCatalogue.all();
        if (mode().equals("all")) {
            return all;
        }
        return IntStream.range(0, all.size()).filter(i -> i % 2 == halfOffset()).mapToObj(all::get).toList();
    }

    @Override
    boolean everyScenarioInHalfMode() {
        return true;
    }

    @Test
    void agentsRunAsTheChartSays() throws Exception {
        ImageAgentChecks.assertRunAsTheChartSays(lab, state, nodeIptables());
    }
}
