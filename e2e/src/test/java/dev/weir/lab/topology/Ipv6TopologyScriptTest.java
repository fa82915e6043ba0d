package dev.weir.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IPv6 half of the lab's wiring ({@code --ip-family dual|ipv6}); IPv4 labs: {@link TopologyScriptTest}. */
class Ipv6TopologyScriptTest {

    private static LabPlan plan(Topology t, Backend b, IpStack stack) {
        return AddressPlanner.plan(LabSpec.defaultCluster(2, t, b).withIpStack(stack), "wl-");
    }

    private static List<String> lines(List<Step> steps, String netns) {
        return steps.stream().filter(s -> s instanceof Step.IpBatch i && i.netns().equals(netns))
                .flatMap(s -> ((Step.IpBatch) s).lines().stream()).toList();
    }

    private static Map<String, String> sysctls(List<Step> steps, String netns) {
        Map<String, String> all = new java.util.TreeMap<>();
        steps.stream().filter(s -> s instanceof Step.Sysctl c && c.netns().equals(netns))
                .forEach(s -> all.putAll(((Step.Sysctl) s).values()));
        return all;
    }

    @Test
    void podAddressesAreTheIpv4OnesTwinnedIntoTheNodesIpv6Subnet() {
        LabPlan p = plan(Topology.FLANNEL, Backend.VXLAN, IpStack.DUAL);
        LabPlan.PodPlan xa = p.pod("x/a").orElseThrow();

        assertThat(p.addresses(xa)).containsExactly("10.244.1.2", "fd00:10:244:1::2");
        assertThat(p.underlayAddresses(p.nodes().get(1))).containsExactly("192.168.222.12", "fd00:192:168:222::12");
        assertThat(p.podCidrs(p.nodes().get(0))).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");
        LabPlan v6 = plan(Topology.FLANNEL, Backend.VXLAN, IpStack.IPV6);
        assertThat(v6.addresses(v6.pod("x/a").orElseThrow())).containsExactly("fd00:10:244:1::2");
        assertThat(v6.address(v6.pod("x/a").orElseThrow(), IpFamily.V4)).isEmpty();
        assertThat(plan(Topology.FLANNEL, Backend.VXLAN, IpStack.IPV4).families()).containsExactly(IpFamily.V4);
    }

    @Test
    void dualStackFlannelVxlanAddsAnIpv6VtepDeviceBesideFlannel1() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.VXLAN, IpStack.DUAL));

        assertThat(lines(steps, "wl-underlay")).contains("addr add 192.168.222.1/24 dev br0",
                "addr add fd00:192:168:222::1/64 dev br0 nodad");
        assertThat(lines(steps, "wl-n1")).contains(
                "addr add fd00:192:168:222::11/64 dev eth0 nodad",
                "route add ::/0 via fd00:192:168:222::1 dev eth0",
                "link add cni0 mtu 1430 type bridge",
                "addr add fd00:10:244:1::1/64 dev cni0 nodad",
                "link add flannel.1 address 02:77:6c:00:00:01 mtu 1450 type vxlan id 1 local 192.168.222.11 dev eth0 "
                        + "dstport 8472 nolearning",
                "link add flannel-v6.1 address 02:77:6c:01:00:01 mtu 1430 type vxlan id 1 local "
                        + "fd00:192:168:222::11 dev eth0 dstport 8472 nolearning",
                "addr add fd00:10:244:1::/128 dev flannel-v6.1 nodad",
                "neigh add fd00:10:244:2:: lladdr 02:77:6c:01:00:02 dev flannel-v6.1 nud permanent",
                "route add fd00:10:244:2::/64 via fd00:10:244:2:: dev flannel-v6.1 onlink",
                "route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink");
        assertThat(steps).contains(new Step.BridgeBatch("wl-n1", List.of(
                "fdb append 02:77:6c:00:00:02 dev flannel.1 dst 192.168.222.12 self permanent",
                "fdb append 02:77:6c:01:00:02 dev flannel-v6.1 dst fd00:192:168:222::12 self permanent")));
        assertThat(lines(steps, "wl-x-a")).containsExactly("link set lo up", "addr add 10.244.1.2/24 dev eth0",
                "addr add fd00:10:244:1::2/64 dev eth0 nodad", "link set eth0 up",
                "route add default via 10.244.1.1 dev eth0", "route add ::/0 via fd00:10:244:1::1 dev eth0");
        assertThat(sysctls(steps, "wl-n1")).containsEntry("net.ipv6.conf.all.forwarding", "1")
                .containsEntry("net.bridge.bridge-nf-call-ip6tables", "1")
                .containsEntry("net.ipv6.conf.default.accept_dad", "0");
    }

    @Test
    void noDuplicateAddressDetectionIsSetBeforeAnyLinkExists() {
        List<Step> steps = TopologyScript.steps(plan(Topology.CANAL, Backend.VXLAN, IpStack.DUAL));
        int firstBatch = steps.indexOf(steps.stream().filter(s -> s instanceof Step.IpBatch).findFirst()
                .orElseThrow());

        assertThat(steps.subList(0, firstBatch)).filteredOn(s -> s instanceof Step.Sysctl)
                .extracting(s -> ((Step.Sysctl) s).netns())
                .containsExactlyElementsOf(plan(Topology.CANAL, Backend.VXLAN, IpStack.DUAL).netnsNames());
    }

    @Test
    void hostGwRoutesEachFamilyOverItsOwnUnderlayAddress() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.HOST_GW, IpStack.DUAL));

        assertThat(lines(steps, "wl-n1")).contains("route add 10.244.2.0/24 via 192.168.222.12 dev eth0",
                "route add fd00:10:244:2::/64 via fd00:192:168:222::12 dev eth0", "link add cni0 mtu 1500 type bridge")
                .noneMatch(l -> l.contains("flannel"));
    }

    @Test
    void canalPodsReachTheirNodeThroughCalicosLinkLocalNextHop() {
        List<Step> steps = TopologyScript.steps(plan(Topology.CANAL, Backend.VXLAN, IpStack.DUAL));

        assertThat(lines(steps, "wl-n1")).contains("link add cali456b416f2bf address ee:ee:ee:ee:ee:ee mtu 1430 type "
                + "veth peer name eth0 mtu 1430 address 0a:58:0a:f4:01:02 netns wl-x-a",
                "route add 10.244.1.2/32 dev cali456b416f2bf scope link",
                "route add fd00:10:244:1::2/128 dev cali456b416f2bf");
        assertThat(lines(steps, "wl-x-a")).containsExactly("link set lo up", "addr add 10.244.1.2/32 dev eth0",
                "addr add fd00:10:244:1::2/128 dev eth0 nodad", "link set eth0 up",
                "route add 169.254.1.1 dev eth0 scope link", "route add default via 169.254.1.1 dev eth0",
                "route add ::/0 via fe80::ecee:eeff:feee:eeee dev eth0");
    }

    @Test
    void anIpv6OnlyLabConfiguresNoIpv4Address() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.VXLAN, IpStack.IPV6));

        assertThat(steps).filteredOn(s -> s instanceof Step.IpBatch || s instanceof Step.BridgeBatch)
                .flatExtracting(s -> s instanceof Step.IpBatch i ? i.lines() : ((Step.BridgeBatch) s).lines())
                .noneMatch(l -> l.matches(".*\\b(10\\.244|192\\.168)\\..*"))
                .noneMatch(l -> l.contains("flannel.1"))
                .contains("addr add fd00:10:244:1::2/64 dev eth0 nodad");
    }
}
