package dev.weir.lab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which lab packets carry another source than their pod's IP, and explain's verdict for them as sent. */
class PacketSourcesTest {

    private static final PortProtocol TCP80 = new PortProtocol(80, Protocol.TCP);
    private static final List<String> PODS = List.of("x/a", "x/b", "host/h1", "host/h2");

    private static LabPlan plan(Backend backend) {
        List<LabSpec.PodSpec> pods = List.of(
                new LabSpec.PodSpec("x", "a", Map.of(), LabSpec.servePorts(List.of(80)), 1),
                new LabSpec.PodSpec("x", "b", Map.of(), LabSpec.servePorts(List.of(80)), 2),
                new LabSpec.PodSpec("host", "h1", Map.of(), LabSpec.servePorts(List.of(80)), 1).onHostNetwork(),
                new LabSpec.PodSpec("host", "h2", Map.of(), LabSpec.servePorts(List.of(80)), 2).onHostNetwork());
        return AddressPlanner.plan(new LabSpec(2, Topology.FLANNEL, backend, List.of(
                new LabSpec.NamespaceSpec("x", Map.of()), new LabSpec.NamespaceSpec("host", Map.of())), pods), "wl-");
    }

    @Test
    void onlyAHostNetworkPodsPacketsToAnotherNodesPodOverVxlanLeaveFromFlannelOne() {
        LabPlan vxlan = plan(Backend.VXLAN);
        LabPlan hostGw = plan(Backend.HOST_GW);

        assertThat(PacketSources.rewritten(vxlan, pod(vxlan, "host/h2"), pod(vxlan, "x/a"))).contains("10.244.2.0");
        assertThat(PacketSources.rewritten(vxlan, pod(vxlan, "host/h1"), pod(vxlan, "x/b"))).contains("10.244.1.0");
        assertThat(PacketSources.rewritten(vxlan, pod(vxlan, "host/h1"), pod(vxlan, "x/a"))).as("own node").isEmpty();
        assertThat(PacketSources.rewritten(vxlan, pod(vxlan, "host/h1"), pod(vxlan, "host/h2"))).as("to a node")
                .isEmpty();
        assertThat(PacketSources.rewritten(vxlan, pod(vxlan, "x/a"), pod(vxlan, "x/b"))).as("a pod").isEmpty();
        assertThat(PacketSources.rewritten(hostGw, pod(hostGw, "host/h2"), pod(hostGw, "x/a"))).isEmpty();
    }

    @Test
    void anIpBlockOfTheUnderlayAdmitsAnotherNodeByPodButNotAsItsVxlanPacketIsSent() {
        LabPlan plan = plan(Backend.VXLAN);
        Reachability r = new Reachability(PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("x", Map.of()), new Namespace("host", Map.of())),
                plan.pods().stream().map(PacketSourcesTest::endpoint).toList(),
                List.of(new NetworkPolicy("x", "from-nodes", LabelSelector.all(), List.of(PolicyType.INGRESS),
                        List.of(new Rule(List.of(new Peer.IpBlock(Cidr.parse("192.168.222.0/24"), List.of())),
                                List.of())), List.of())))));
        TruthTable byPod = Explainer.table(r, PODS, List.of(TCP80));

        TruthTable asSent = PacketSources.asSent(byPod, r, plan);

        assertThat(byPod.cell("host/h2", "x/a", TCP80).orElseThrow().allowed()).isTrue();
        TruthTable.Cell sent = asSent.cell("host/h2", "x/a", TCP80).orElseThrow();
        assertThat(sent.allowed()).isFalse();
        assertThat(sent.reasons().get(0)).isEqualTo("host/h2 is a hostNetwork pod on wl-n2: its packets to pods on "
                + "other nodes leave over VXLAN from flannel.1's 10.244.2.0, so that address is judged, not "
                + "192.168.222.12");
        assertThat(asSent.cell("host/h1", "x/a", TCP80)).isEqualTo(byPod.cell("host/h1", "x/a", TCP80));
        assertThat(asSent.cell("x/a", "x/b", TCP80)).isEqualTo(byPod.cell("x/a", "x/b", TCP80));
    }

    private static LabPlan.PodPlan pod(LabPlan plan, String key) {
        return plan.pod(key).orElseThrow();
    }

    private static Endpoint endpoint(LabPlan.PodPlan p) {
        return new Endpoint(p.namespace(), p.name(), p.labels(), List.of(IpAddress.parse(p.ip())), p.node(),
                p.hostNetwork(), PodPhase.RUNNING, p.ports());
    }
}
