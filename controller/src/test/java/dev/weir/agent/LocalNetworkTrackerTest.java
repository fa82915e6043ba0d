package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.local.Discovery;
import dev.weir.agent.local.Fingerprint;
import dev.weir.agent.local.InterfaceBindings;
import dev.weir.agent.local.InterfaceDiscovery;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the tracker discovers, what it hands the sync, and how it survives a node it cannot read. */
class LocalNetworkTrackerTest {

    private static final ObjectKey A = ObjectKey.pod("dev", "a");
    private static final ObjectKey B = ObjectKey.pod("dev", "b");

    private final ScriptedDiscovery discovery = new ScriptedDiscovery();
    private final AgentMetrics metrics = new AgentMetrics();
    private final AtomicInteger pokes = new AtomicInteger();
    private final List<List<Cidr>> nodeCidrs = new ArrayList<>(List.of(List.of()));

    /** Answers with what the test set: the interface of each pod that has one, a fingerprint, or a failure. */
    private static final class ScriptedDiscovery implements InterfaceDiscovery {
        final Map<ObjectKey, PodInterface> interfaces = new TreeMap<>();
        Fingerprint fingerprint = new Fingerprint(List.of(), List.of());
        RuntimeException failure;
        int discoveries;

        @Override
        public Fingerprint scan() {
            if (failure != null) {
                throw failure;
            }
            return fingerprint;
        }

        @Override
        public Discovery discover(Map<ObjectKey, List<IpAddress>> pods) {
            discoveries++;
            if (failure != null) {
                throw failure;
            }
            Map<ObjectKey, PodInterface> bound = new TreeMap<>();
            Map<ObjectKey, String> unknown = new TreeMap<>();
            pods.keySet().forEach(p -> {
                if (interfaces.containsKey(p)) {
                    bound.put(p, interfaces.get(p));
                } else {
                    unknown.put(p, "none");
                }
            });
            return new Discovery(new InterfaceBindings(bound, unknown), fingerprint);
        }
    }

    private LocalNetworkTracker tracker(LocalNetworkSettings settings) {
        return new LocalNetworkTracker("n1", settings, discovery, () -> nodeCidrs.get(nodeCidrs.size() - 1), metrics,
                pokes::incrementAndGet, System::nanoTime);
    }

    private static PolicyGraph graph(String aIp, String bIp) {
        List<Endpoint> pods = new ArrayList<>();
        pods.add(new Endpoint("dev", "a", Map.of(), List.of(IpAddress.parse(aIp)), "n1", false, PodPhase.RUNNING,
                List.of()));
        if (bIp != null) {
            pods.add(new Endpoint("dev", "b", Map.of(), List.of(IpAddress.parse(bIp)), "n1", false, PodPhase.RUNNING,
                    List.of()));
        }
        pods.add(new Endpoint("dev", "elsewhere", Map.of(), List.of(IpAddress.parse("10.0.9.9")), "n2", false,
                PodPhase.RUNNING, List.of()));
        pods.add(new Endpoint("dev", "host", Map.of(), List.of(IpAddress.parse("192.168.1.20")), "n1", true,
                PodPhase.RUNNING, List.of()));
        return PolicyCompiler.compile(new ClusterSnapshot(List.of(new Namespace("dev", Map.of())), pods, List.of()));
    }

    @Test
    void discoversOnlyWhenThePodsTheScanOrAFullSyncSaySo() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults());
        discovery.interfaces.put(A, PodInterface.routed("cali1"));

        LocalNetwork first = t.localNetwork(graph("10.0.0.1", null), "n1", false);
        assertThat(first.interfaces()).containsExactly(Map.entry(A, PodInterface.routed("cali1")));
        assertThat(discovery.discoveries).isEqualTo(1);

        t.scan(); // the node as the discovery read it
        assertThat(t.changed()).isFalse();
        assertThat(t.localNetwork(graph("10.0.0.1", null), "n1", false)).isEqualTo(first);
        assertThat(discovery.discoveries).as("same pods, same node: no discovery").isEqualTo(1);

        discovery.interfaces.put(B, PodInterface.bridgePort("veth3c9e41d7", "0a:58:0a:00:00:02"));
        discovery.fingerprint = new Fingerprint(List.of("10.0.0.2 dev veth3c9e41d7"), List.of());
        t.scan();
        assertThat(t.changed()).isTrue();
        assertThat(pokes).hasValue(1);
        assertThat(t.localNetwork(graph("10.0.0.1", "10.0.0.2"), "n1", false).interfaces()).containsOnlyKeys(A, B);
        assertThat(t.changed()).isFalse();

        t.localNetwork(graph("10.0.0.1", "10.0.0.2"), "n1", true);
        assertThat(discovery.discoveries).as("a FULL sync looks again").isEqualTo(3);
        assertThat(metrics.podInterfaces.labelValues("bound").get()).isEqualTo(2);
        assertThat(metrics.podInterfaces.labelValues("unknown").get()).isZero();
    }

    @Test
    void aFailedDiscoveryKeepsTheBindingsOfPodsWhoseAddressesDidNotChange() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults());
        discovery.interfaces.put(A, PodInterface.routed("cali1"));
        discovery.interfaces.put(B, PodInterface.routed("cali2"));
        t.localNetwork(graph("10.0.0.1", "10.0.0.2"), "n1", false);

        discovery.failure = new IllegalStateException("cannot run ip");
        LocalNetwork during = t.localNetwork(graph("10.0.0.1", "10.0.0.3"), "n1", false); // b got a new address

        assertThat(during.interfaces()).containsExactly(Map.entry(A, PodInterface.routed("cali1")));
        assertThat(metrics.podInterfaces.labelValues("unknown").get()).isEqualTo(1);

        t.scan(); // still failing: nothing to say
        assertThat(t.changed()).isFalse();
        discovery.failure = null;
        t.scan(); // the node can be read again: look at once
        assertThat(t.changed()).isTrue();
        assertThat(t.localNetwork(graph("10.0.0.1", "10.0.0.3"), "n1", false).interfaces()).containsOnlyKeys(A, B);
    }

    @Test
    void withAntiSpoofingOffNothingIsBoundAndNothingIsRead() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults().withAntiSpoofing(false));
        discovery.interfaces.put(A, PodInterface.routed("cali1"));

        LocalNetwork n = t.localNetwork(graph("10.0.0.1", "10.0.0.2"), "n1", true);

        assertThat(n).isEqualTo(LocalNetwork.none());
        assertThat(discovery.discoveries).isZero();
        assertThat(metrics.podInterfaces.labelValues("unknown").get()).isEqualTo(2);
    }

    @Test
    void failClosedWaitsForThePodCidrsOfTheNodeObject() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults()
                .withUnprogrammedPods(LocalNetworkSettings.UnprogrammedPods.DROP, List.of()));

        t.readPodCidrs(); // the Node has none yet
        LocalNetwork before = t.localNetwork(graph("10.0.0.1", null), "n1", false);
        assertThat(before.failClosed()).isFalse();
        assertThat(before.podCidrs()).isEmpty();
        assertThat(t.changed()).isFalse();

        nodeCidrs.add(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("fd00:10::/64")));
        t.readPodCidrs();
        assertThat(t.changed()).isTrue();
        assertThat(pokes).hasValue(1);
        LocalNetwork after = t.localNetwork(graph("10.0.0.1", null), "n1", false);
        assertThat(after.failClosed()).isTrue();
        assertThat(after.podCidrs()).containsExactly(Cidr.parse("10.0.0.0/24"), Cidr.parse("fd00:10::/64"));
    }

    @Test
    void podCidrsGivenInTheSettingsAreUsedAsTheyAre() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults()
                .withUnprogrammedPods(LocalNetworkSettings.UnprogrammedPods.DROP, List.of(Cidr.parse("10.0.0.0/24"))));

        LocalNetwork n = t.localNetwork(graph("10.0.0.1", null), "n1", false);

        assertThat(n.failClosed()).isTrue();
        assertThat(n.podCidrs()).containsExactly(Cidr.parse("10.0.0.0/24"));
    }

    @Test
    void failClosedIsNotRenderedWhenALocalPodIsOutsideThePodCidrs() {
        LocalNetworkTracker t = tracker(LocalNetworkSettings.defaults()
                .withUnprogrammedPods(LocalNetworkSettings.UnprogrammedPods.DROP, List.of(Cidr.parse("10.0.0.0/24"))));

        assertThat(t.localNetwork(graph("10.0.0.1", "10.0.5.2"), "n1", false).failClosed())
                .as("dev/b's 10.0.5.2: the CIDRs are not this node's pod ranges").isFalse();
        assertThat(t.localNetwork(graph("10.0.0.1", "10.0.0.2"), "n1", false).failClosed()).isTrue();
    }
}
