package dev.weir.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AddressPlannerTest {

    private static final LabPlan TWO_NODES = AddressPlanner.plan(
            LabSpec.defaultCluster(2, Topology.FLANNEL, Backend.VXLAN), "wl-");

    @Test
    void defaultClusterHasSameNodeAndCrossNodePairs() {
        Map<String, List<String>> byNode = TWO_NODES.pods().stream().collect(Collectors.groupingBy(
                LabPlan.PodPlan::node, Collectors.mapping(LabPlan.PodPlan::key, Collectors.toList())));

        assertThat(byNode).containsOnlyKeys("wl-n1", "wl-n2");
        assertThat(byNode.get("wl-n1")).hasSize(5).contains("x/a", "x/c");
        assertThat(byNode.get("wl-n2")).hasSize(4).contains("x/b");
    }

    @Test
    void podsTakeAddressesFromTheirNodesSubnetAfterTheGateway() {
        assertThat(TWO_NODES.pod("x/a").orElseThrow().ip()).isEqualTo("10.244.1.2");
        assertThat(TWO_NODES.pod("x/b").orElseThrow().ip()).isEqualTo("10.244.2.2");
        assertThat(TWO_NODES.pod("x/c").orElseThrow().ip()).isEqualTo("10.244.1.3");
        assertThat(TWO_NODES.node("wl-n2")).extracting(LabPlan.NodePlan::podCidr, LabPlan.NodePlan::gateway,
                LabPlan.NodePlan::vtepIp, LabPlan.NodePlan::underlayIp)
                .containsExactly("10.244.2.0/24", "10.244.2.1", "10.244.2.0", "192.168.222.12");
    }

    @Test
    void everyNetnsStartsWithThePrefixAndEveryLinkNameFitsIfnamsiz() {
        LabSpec many = new LabSpec(3, Topology.CANAL, Backend.VXLAN,
                List.of(new LabSpec.NamespaceSpec("a-very-long-namespace-name", Map.of())),
                java.util.stream.IntStream.range(0, 300).mapToObj(i -> new LabSpec.PodSpec(
                        "a-very-long-namespace-name", "pod-with-a-long-name-" + i, Map.of(), List.of(), 0)).toList());
        LabPlan plan = AddressPlanner.plan(many, "wl-");

        assertThat(plan.netnsNames()).allMatch(n -> n.startsWith("wl-")).doesNotHaveDuplicates();
        assertThat(plan.pods()).extracting(LabPlan.PodPlan::hostVeth).allMatch(n -> n.length() <= 15)
                .doesNotHaveDuplicates();
        assertThat(plan.pods()).extracting(LabPlan.PodPlan::ip).doesNotHaveDuplicates();
    }

    @Test
    void pinnedPodsStayOnTheirNode() {
        LabSpec spec = new LabSpec(2, Topology.FLANNEL, Backend.HOST_GW,
                List.of(new LabSpec.NamespaceSpec("dev", Map.of())),
                List.of(new LabSpec.PodSpec("dev", "a", Map.of(), List.of(), 2),
                        new LabSpec.PodSpec("dev", "b", Map.of(), List.of(), 2)));

        assertThat(AddressPlanner.plan(spec, "wl-").pods()).extracting(LabPlan.PodPlan::node, LabPlan.PodPlan::ip)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("wl-n2", "10.244.2.2"),
                        org.assertj.core.groups.Tuple.tuple("wl-n2", "10.244.2.3"));
    }

    @Test
    void podsWhoseNetnsNamesWouldCollideAreRejected() {
        LabSpec spec = new LabSpec(1, Topology.FLANNEL, Backend.VXLAN,
                List.of(new LabSpec.NamespaceSpec("a-b", Map.of()), new LabSpec.NamespaceSpec("a", Map.of())),
                List.of(new LabSpec.PodSpec("a-b", "c", Map.of(), List.of(), 0),
                        new LabSpec.PodSpec("a", "b-c", Map.of(), List.of(), 0)));

        assertThatThrownBy(() -> AddressPlanner.plan(spec, "wl-")).hasMessageContaining("wl-a-b-c");
    }

    @Test
    void aPrefixThatCannotNameANamespaceIsRejected() {
        assertThatThrownBy(() -> AddressPlanner.plan(LabSpec.defaultCluster(1, Topology.FLANNEL, Backend.VXLAN),
                "../x")).hasMessageContaining("prefix");
    }

    @Test
    void requestedPodIpsAreKeptAndOtherPodsGetTheFreeAddressesAroundThem() {
        LabSpec spec = new LabSpec(2, Topology.FLANNEL, Backend.VXLAN,
                List.of(new LabSpec.NamespaceSpec("dev", Map.of())),
                List.of(new LabSpec.PodSpec("dev", "a", Map.of(), List.of(), 0),
                        new LabSpec.PodSpec("dev", "b", Map.of(), List.of(), 1, "10.244.1.2"),
                        new LabSpec.PodSpec("dev", "c", Map.of(), List.of(), 1),
                        new LabSpec.PodSpec("dev", "d", Map.of(), List.of(), 2, "10.244.2.9")));

        LabPlan plan = AddressPlanner.plan(spec, "wl-");

        assertThat(plan.pods()).extracting(p -> p.key() + " " + p.node() + " " + p.ip()).containsExactly(
                "dev/a wl-n1 10.244.1.3", "dev/b wl-n1 10.244.1.2", "dev/c wl-n1 10.244.1.4",
                "dev/d wl-n2 10.244.2.9");
    }

    @Test
    void twoPodsAskingForOneIpAreRejected() {
        LabSpec spec = new LabSpec(1, Topology.FLANNEL, Backend.VXLAN,
                List.of(new LabSpec.NamespaceSpec("dev", Map.of())),
                List.of(new LabSpec.PodSpec("dev", "a", Map.of(), List.of(), 1, "10.244.1.5"),
                        new LabSpec.PodSpec("dev", "b", Map.of(), List.of(), 1, "10.244.1.5")));

        assertThatThrownBy(() -> AddressPlanner.plan(spec, "wl-")).hasMessageContaining("10.244.1.5");
    }
}
