package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.iptables.render.Netfilter.Outcome;
import dev.weir.iptables.render.Netfilter.Packet;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatch and anti-spoofing trees ({@link DispatchTree}, {@link InterfaceTree}) judge as the flat lists did: on
 * the receiving node of {@link PacketPathCluster} with 110 pods on known interfaces (so both trees are several levels
 * deep), every local pod as destination of the remote client, of a remote pod and of every other local pod, on a port
 * the policies name and one they do not, gets {@link Reachability}'s verdict from the {@link Netfilter} model; every
 * local pod that sends with another pod's address is dropped, by its own pod's rule.
 */
class DispatchTreeVerdictsTest {

    private static final int[] PORTS = {PacketPathCluster.PORT, 9095};

    private final PacketPathCluster cluster = new PacketPathCluster(400, 110, 10);
    private final PolicyGraph graph = cluster.graph();
    private final Ruleset rules = IptablesRenderer.render(graph, PacketPathCluster.SERVER_NODE,
            RenderOptions.defaults(), cluster.localNetwork(PacketPathCluster.SERVER_NODE));
    private final Netfilter nf = new Netfilter(rules);

    @Test
    void theTreesAreThere() {
        List<String> chains = rules.v4().chains().stream().map(Chain::name).toList();
        assertThat(chains).anyMatch(c -> c.startsWith("WEIR-DI-")).anyMatch(c -> c.startsWith("WEIR-FP-"));
        assertThat(rules.v4().chains().stream().filter(c -> c.name().equals(Names.INGRESS)).findFirst().orElseThrow()
                .rules()).hasSize(2);
    }

    @Test
    void everyLocalPodGetsTheReachabilityVerdictFromEverySide() {
        Reachability reachability = new Reachability(graph);
        List<Endpoint> local = graph.endpointsOn(PacketPathCluster.SERVER_NODE).stream().toList();
        Endpoint client = graph.endpoints().values().stream().filter(e -> e.key().equals(PacketPathCluster.CLIENT_KEY))
                .findFirst().orElseThrow();
        Endpoint remote = graph.endpoints().values().stream().filter(e -> e.name().equals("r0")).findFirst()
                .orElseThrow();
        List<String> mismatches = new ArrayList<>();
        int probes = 0;
        for (Endpoint dst : local) {
            List<Endpoint> sources = new ArrayList<>(List.of(client, remote));
            sources.addAll(local);
            for (Endpoint src : sources) {
                if (src == dst) {
                    continue;
                }
                for (int port : PORTS) {
                    boolean expected = reachability.evaluate(src, dst, port, Protocol.TCP).allowed();
                    Packet p = new Packet(src.ip(IpFamily.V4).get(), dst.ip(IpFamily.V4).get(), Protocol.TCP, port);
                    p = local.contains(src) ? p.from(cluster.localNetwork(PacketPathCluster.SERVER_NODE).interfaces()
                            .get(src.key())) : new Packet(p.src(), p.dst(), p.protocol(), p.dport(), "eth0", null);
                    boolean actual = nf.traverse("FORWARD", p) != Outcome.DROP;
                    probes++;
                    if (actual != expected) {
                        mismatches.add(src.key() + " -> " + dst.key() + ":" + port + " expected " + expected);
                    }
                }
            }
        }
        assertThat(probes).isGreaterThan(20_000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aLocalPodSendingWithAnotherPodsAddressIsDroppedByItsOwnRule() {
        List<Endpoint> local = graph.endpointsOn(PacketPathCluster.SERVER_NODE).stream().toList();
        IpAddress server = IpAddress.parse(PacketPathCluster.SERVER);
        for (Endpoint liar : local) {
            IpAddress borrowed = local.get((local.indexOf(liar) + 1) % local.size()).ip(IpFamily.V4).get();
            PodInterface pi = cluster.localNetwork(PacketPathCluster.SERVER_NODE).interfaces().get(liar.key());
            Packet p = new Packet(borrowed, server, Protocol.TCP, PacketPathCluster.PORT).from(pi);
            assertThat(nf.traverse("FORWARD", p)).as("%s as %s", liar.key(), borrowed).isEqualTo(Outcome.DROP);
            assertThat(nf.logged()).as("logged as its own spoofed source").hasSize(1);
            assertThat(rules.decision(nf.logged().get(0)).orElseThrow().objects()).containsExactly(liar.key());
        }
    }
}
