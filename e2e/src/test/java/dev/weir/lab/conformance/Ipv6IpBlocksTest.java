package dev.weir.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.conformance.Scenario;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.lab.topology.LabPlan;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ipv6IpBlocksTest {

    private static final LabPlan PLAN = AddressPlanner.plan(LabSpec.defaultCluster(2, Topology.FLANNEL, Backend.VXLAN)
            .withIpStack(IpStack.DUAL), "wl-");

    @Test
    void aPodsHostRouteBecomesItsIpv6HostRouteAndEverythingStaysEverything() {
        assertThat(Ipv6IpBlocks.twin("10.244.1.3/32", PLAN)).isEqualTo("fd00:10:244:1::3/128");
        assertThat(Ipv6IpBlocks.twin("0.0.0.0/0", PLAN)).isEqualTo("::/0");
        // node 2's subnet holds x/b, y/a, y/c, z/b (.2-.5): the smallest block of their twins, not the whole /64
        assertThat(Ipv6IpBlocks.twin("10.244.2.0/24", PLAN)).isEqualTo("fd00:10:244:2::/125");
    }

    @Test
    void aWideBlockBecomesTheSmallestIpv6BlockOfThePodsItHolds() {
        // upstream's "/4 around x/b": every pod of the lab; the twin holds both nodes' subnets
        assertThat(Ipv6IpBlocks.twin("10.244.1.2/4", PLAN)).isEqualTo("fd00:10:244::/62");
    }

    @Test
    void aBlockWhoseTwinWouldCatchAnotherPodOrHoldsNoneIsRefused() {
        // 12 pods on one node: 10.244.1.2-13. 10.244.1.8/29 holds .8-.13, whose twins ::8-::13 (0x13) need ::/123,
        // which also holds ::2-::7
        List<LabSpec.PodSpec> pods = java.util.stream.IntStream.range(0, 12).mapToObj(i -> new LabSpec.PodSpec("x",
                "p" + i, Map.of(), List.of(), 1)).toList();
        LabPlan crowded = AddressPlanner.plan(new LabSpec(1, Topology.FLANNEL, Backend.VXLAN,
                List.of(new LabSpec.NamespaceSpec("x", Map.of())), pods, IpStack.DUAL), "wl-");

        assertThatThrownBy(() -> Ipv6IpBlocks.twin("10.244.1.8/29", crowded)).hasMessageContaining("would hold");
        assertThat(Ipv6IpBlocks.twin("10.244.1.10/31", crowded)).isEqualTo("fd00:10:244:1::10/127");
        assertThatThrownBy(() -> Ipv6IpBlocks.twin("192.0.2.0/24", PLAN)).hasMessageContaining("holds no pod");
    }

    @Test
    void eachIpv4IpBlockPeerGetsItsTwinBesideIt() {
        NetworkPolicy p = Scenario.policy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.244.2.2/32]}}, {podSelector: {}}]
                  egress:
                  - to: [{ipBlock: {cidr: 10.244.1.3/32}}]
                """);

        NetworkPolicy twinned = Ipv6IpBlocks.withTwins(p, PLAN);

        assertThat(twinned.getSpec().getIngress().get(0).getFrom()).hasSize(3);
        NetworkPolicyPeer in = twinned.getSpec().getIngress().get(0).getFrom().get(1);
        assertThat(in.getIpBlock().getCidr()).isEqualTo("::/0");
        assertThat(in.getIpBlock().getExcept()).containsExactly("fd00:10:244:2::2/128");
        assertThat(twinned.getSpec().getEgress().get(0).getTo()).extracting(t -> t.getIpBlock().getCidr())
                .containsExactly("10.244.1.3/32", "fd00:10:244:1::3/128");
        assertThat(p.getSpec().getIngress().get(0).getFrom()).as("the original is left alone").hasSize(2);
    }
}
