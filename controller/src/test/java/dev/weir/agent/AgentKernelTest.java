package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.sys.NetworkNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real agent (ModelTranslator, IptablesRenderer, DataplaneApplier) programming a throwaway network namespace
 * ({@code wag-} prefix) from the mock API server. Root only; removed in {@link #tearDown} even on failure.
 */
class AgentKernelTest {

    private final String netnsName = "wag-" + ProcessHandle.current().pid() % 100000;
    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private NetworkNamespace netns;
    private NodeAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ipset")) || Files.isExecutable(Path.of("/sbin/ipset")),
                "ipset is not installed");
        sh("ip", "netns", "add", netnsName);
        netns = NetworkNamespace.named(netnsName);
        cluster = new MockCluster();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (agentClient != null) {
            agentClient.close();
            kube.close();
            cluster.close();
        }
        if (netns != null) {
            netns.close();
        }
        sh("ip", "netns", "delete", netnsName);
    }

    @Test
    void programsTheNodeNamespaceAndFollowsMembershipChanges() throws Exception {
        webOnThisNodeAllowedFromDbElsewhere();
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1).withNetns(netnsName)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1));
        agent = NodeAgent.start(config, agentClient, netns);

        String rules = awaitIn(List.of("iptables-nft-save", "-t", "filter"), s -> s.contains("-A FORWARD -j WEIR-FORWARD"));
        assertThat(rules).contains("10.0.0.1");
        awaitIn(List.of("ipset", "save"), s -> s.contains("add ") && s.contains(" 10.0.0.2"));

        kube.resource(pod("dev", "db2", "10.0.0.3", "n2", "app", "db")).create();
        awaitIn(List.of("ipset", "save"), s -> s.contains(" 10.0.0.3"));

        agent.close();
        agent = null;
        assertThat(inNetns(List.of("iptables-nft-save", "-t", "filter"))).as("rules stay after shutdown")
                .contains("WEIR-FORWARD");
    }

    @Test
    void theMarkMaskDecidesWhichPacketMarkBitsTheProgrammedRulesUse() throws Exception {
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        AgentConfig config = new AgentConfig("n1", null, Duration.ofMinutes(5), Duration.ofMillis(50),
                Duration.ofMinutes(1), AgentConfig.Backend.AUTO, RenderOptions.parseMask("0xf0000000"), -1,
                AgentConfig.LogFormat.TEXT, "info", netnsName, true);
        agent = NodeAgent.start(config, agentClient, netns);

        String rules = awaitIn(List.of("iptables-nft-save", "-t", "filter"),
                s -> s.contains("-A FORWARD -j WEIR-FORWARD"));
        assertThat(rules).contains("--set-xmark 0x0/0xf0000000", "--set-xmark 0x10000000/0x10000000")
                .as("no default bit (0x100000-0x800000) is written").doesNotContainPattern("/0x[0-9a-f]{6}\\b");
    }

    @Test
    void aDeletedHookIsPutBackByTheDriftCheck() throws Exception {
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1).withNetns(netnsName)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofSeconds(1));
        agent = NodeAgent.start(config, agentClient, netns);
        awaitIn(List.of("iptables-nft-save", "-t", "filter"), s -> s.contains("-A FORWARD -j WEIR-FORWARD"));

        inNetns(List.of(agentBackendBinary(), "-D", "FORWARD", "-j", "WEIR-FORWARD"));
        assertThat(inNetns(List.of("iptables-nft-save", "-t", "filter"))).doesNotContain("-A FORWARD -j WEIR-FORWARD");

        awaitIn(List.of("iptables-nft-save", "-t", "filter"), s -> s.contains("-A FORWARD -j WEIR-FORWARD"));
        assertThat(agent.metrics().driftRepairs.getLongValue()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRemovedSetMemberIsPutBackWithinTenSecondsAtTheDefaultDriftInterval() throws Exception {
        webOnThisNodeAllowedFromDbElsewhere();
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1).withNetns(netnsName);
        agent = NodeAgent.start(config, agentClient, netns);
        String sets = awaitIn(List.of("ipset", "save"), s -> s.contains(" 10.0.0.2"));
        String set = sets.lines().filter(l -> l.startsWith("add ") && l.endsWith(" 10.0.0.2")).findFirst()
                .orElseThrow().split(" ")[1];

        long removed = System.nanoTime();
        inNetns(List.of("ipset", "del", set, "10.0.0.2"));
        assertThat(inNetns(List.of("ipset", "save", set))).doesNotContain("10.0.0.2");

        awaitIn(List.of("ipset", "save", set), s -> s.contains(" 10.0.0.2"));
        Duration repairedAfter = Duration.ofNanos(System.nanoTime() - removed);
        assertThat(repairedAfter).isLessThan(Duration.ofSeconds(10));
        assertThat(agent.metrics().driftRepairs.getLongValue()).isEqualTo(1);
    }

    /** dev/web (10.0.0.1) on n1, the agent's node, admits dev/db (10.0.0.2, on n2): one set with one member. */
    private void webOnThisNodeAllowedFromDbElsewhere() {
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
    }

    /** In a fresh namespace both backends are empty and auto-detection picks nft; read and edit with that one. */
    private static String agentBackendBinary() {
        return "iptables-nft";
    }

    private String awaitIn(List<String> argv, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = inNetns(argv);
            if (condition.test(out)) {
                return out;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met by `" + String.join(" ", argv) + "`:\n" + out
                + "\nagent health: " + agent.health());
    }

    private String inNetns(List<String> argv) throws Exception {
        Process p = netns.start(new ProcessBuilder(argv).redirectErrorStream(true));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
