package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.local.CniResultCache;
import dev.weir.agent.local.HostInterfaceDiscovery;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.Cidr;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent binding local pods to their interfaces, end to end but for the kernel: the mock API server in CRUD mode,
 * the real renderer, a recording dataplane, and a node whose {@code ip} output ({@link TestingNodeNetwork}) and CNI
 * cache directory the test changes. The interface of {@code dev/web} appears only after its Pod object; the periodic
 * scan alone must bring the binding into the applied rules.
 */
class PodInterfacesAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path cniCache;
    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private TestingDataplane dataplane;
    private TestingNodeNetwork node;
    private NodeAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
        dataplane = new TestingDataplane();
        node = new TestingNodeNetwork();
        kube.resource(namespace("dev")).create();
        kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        kube.resource(pod("dev", "db", "10.0.1.2", "n2", "app", "db")).create();
        kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
    }

    @AfterEach
    void tearDown() throws Exception {
        Closing.inOrder(agent, agentClient, kube, cluster);
    }

    private void startAgent(LocalNetworkSettings settings) throws Exception {
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1)
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1))
                .withLocalNetwork(settings.withCniCacheDir(cniCache).withScanInterval(Duration.ofMillis(100)));
        AgentParts parts = new AgentParts(ObjectTranslator.standard(),
                (g, n, l) -> IptablesRenderer.render(g, n, RenderOptions.defaults(), l), dataplane,
                RejectionReporter.NONE, System::nanoTime,
                new HostInterfaceDiscovery(node, new CniResultCache(cniCache)));
        agent = NodeAgent.start(config, agentClient, parts);
    }

    /** The rule specs of one v4 chain of a ruleset; empty when the chain is not there. */
    private static List<String> chain(Ruleset r, String name) {
        return r.v4().chains().stream().filter(c -> c.name().equals(name)).flatMap(c -> c.rules().stream())
                .map(IptablesRule::spec).toList();
    }

    private Ruleset awaitApplied(Predicate<Ruleset> condition) throws InterruptedException {
        return dataplane.awaitApplied(condition, WAIT);
    }

    private double gauge(String state) {
        return agent.metrics().podInterfaces.labelValues(state).get();
    }

    @Test
    void aRoutedInterfaceAppearingAfterItsPodIsBoundByTheScanAndReleasedWhenItGoes() throws Exception {
        startAgent(LocalNetworkSettings.defaults());
        Ruleset first = awaitApplied(r -> chain(r, "WEIR-INGRESS").stream().anyMatch(s -> s.contains("10.0.0.1")));
        assertThat(first.v4().chains()).extracting(Chain::name).doesNotContain(Names.FROM_POD);
        assertThat(gauge("unknown")).isEqualTo(1);
        int appliesBefore = dataplane.applyCount();

        node.veth("cali0web0001", null).route("10.0.0.1", "cali0web0001"); // the CNI finishes; no API event

        Ruleset bound = awaitApplied(r -> chain(r, Names.FROM_POD)
                .contains("-s 10.0.0.1/32 -i cali0web0001 -j RETURN"));
        assertThat(chain(bound, Names.FROM_POD)).contains("-i cali0web0001 -j DROP");
        assertThat(dataplane.applyCount()).isGreaterThan(appliesBefore);
        assertThat(gauge("bound")).isEqualTo(1);
        assertThat(gauge("unknown")).isZero();

        node.remove("10.0.0.1").remove("cali0web0001");
        Ruleset released = awaitApplied(r -> chain(r, Names.FROM_POD).isEmpty());
        assertThat(released.v4().chains()).extracting(Chain::name).doesNotContain(Names.FROM_POD);
        assertThat(gauge("unknown")).isEqualTo(1);
    }

    @Test
    void aBridgedPodIsBoundWhenItsCniCacheEntryIsWritten() throws Exception {
        node.bridge("cni0").veth("veth3c9e41d7", "cni0");
        startAgent(LocalNetworkSettings.defaults());
        awaitApplied(r -> chain(r, "WEIR-INGRESS").stream().anyMatch(s -> s.contains("10.0.0.1")));

        Files.writeString(cniCache.resolve("cbr0-0123456789abcdef-eth0"), """
                {"kind":"cniCacheV1","containerId":"0123456789abcdef","ifName":"eth0","networkName":"cbr0",\
                "cniArgs":[["K8S_POD_NAMESPACE","dev"],["K8S_POD_NAME","web"]],"result":{"cniVersion":"0.3.1",\
                "interfaces":[{"name":"cni0","mac":"de:dc:48:cb:3d:2c"},\
                {"name":"veth3c9e41d7","mac":"5e:1f:22:33:44:55"},\
                {"name":"eth0","mac":"0a:58:0a:00:00:01","sandbox":"/var/run/netns/cni-1"}],\
                "ips":[{"interface":2,"address":"10.0.0.1/24","gateway":"10.0.0.254"}]}}""", StandardCharsets.UTF_8);

        awaitApplied(r -> chain(r, Names.FROM_POD)
                .contains("-s 10.0.0.1/32 -m physdev --physdev-in veth3c9e41d7 -j RETURN"));
        assertThat(gauge("bound")).isEqualTo(1);
    }

    @Test
    void failClosedTakesThePodCidrsFromTheNodeObject() throws Exception {
        kube.resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .withNewSpec().withPodCIDR("10.0.0.0/24").withPodCIDRs("10.0.0.0/24").endSpec().build()).create();
        node.veth("cali0web0001", null).route("10.0.0.1", "cali0web0001");
        startAgent(LocalNetworkSettings.defaults().withUnprogrammedPods(LocalNetworkSettings.UnprogrammedPods.DROP,
                List.of()));

        Ruleset r = awaitApplied(x -> chain(x, Names.TO_POD).contains("-d 10.0.0.0/24 -j DROP"));
        assertThat(chain(r, Names.TO_POD)).startsWith("-d 10.0.0.1/32 -j RETURN");
        assertThat(chain(r, Names.FROM_POD)).contains("-s 10.0.0.0/24 -j DROP");
    }

    @Test
    void podCidrsGivenAsAFlagNeedNoNodeObject() throws Exception {
        startAgent(LocalNetworkSettings.defaults().withUnprogrammedPods(LocalNetworkSettings.UnprogrammedPods.DROP,
                List.of(Cidr.parse("10.0.0.0/24"))));

        awaitApplied(x -> chain(x, Names.TO_POD).contains("-d 10.0.0.0/24 -j DROP"));
    }

    @Test
    void withAntiSpoofingOffNothingIsBoundAndTheNodeIsNotRead() throws Exception {
        node.veth("cali0web0001", null).route("10.0.0.1", "cali0web0001");
        startAgent(LocalNetworkSettings.defaults().withAntiSpoofing(false));

        Ruleset r = awaitApplied(x -> chain(x, "WEIR-INGRESS").stream().anyMatch(s -> s.contains("10.0.0.1")));
        Thread.sleep(300); // three scan intervals
        assertThat(r.v4().chains()).extracting(Chain::name).doesNotContain(Names.FROM_POD, Names.TO_POD);
        assertThat(node.commands()).isEmpty();
    }

    @Test
    void aNodeThatCannotBeReadLeavesPodsUnboundAndTheSyncsGoingThenBindsThemOnceItCan() throws Exception {
        node.broken(true);
        node.veth("cali0web0001", null).route("10.0.0.1", "cali0web0001");
        startAgent(LocalNetworkSettings.defaults());
        Ruleset r = awaitApplied(x -> chain(x, "WEIR-INGRESS").stream().anyMatch(s -> s.contains("10.0.0.1")));
        assertThat(r.v4().chains()).extracting(Chain::name).doesNotContain(Names.FROM_POD);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!agent.health().ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.health().ready()).as(agent.health().reason()).isTrue();

        node.broken(false); // no API event: the next scan succeeds and asks for a discovery
        awaitApplied(x -> chain(x, Names.FROM_POD).contains("-s 10.0.0.1/32 -i cali0web0001 -j RETURN"));
    }
}
