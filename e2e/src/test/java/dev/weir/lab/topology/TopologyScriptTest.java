package dev.weir.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyScriptTest {

    private static LabPlan plan(Topology t, Backend b) {
        return AddressPlanner.plan(LabSpec.defaultCluster(2, t, b), "wl-");
    }

    private static List<String> lines(List<Step> steps, String netns) {
        return steps.stream().filter(s -> s instanceof Step.IpBatch i && i.netns().equals(netns))
                .flatMap(s -> ((Step.IpBatch) s).lines().stream()).toList();
    }

    @Test
    void everyStepRunsInsideALabNamespaceAndNamespacesComeFirst() {
        for (Topology t : Topology.values()) {
            for (Backend b : Backend.values()) {
                LabPlan p = plan(t, b);
                List<Step> steps = TopologyScript.steps(p);
                List<String> added = steps.stream().filter(s -> s instanceof Step.AddNetns)
                        .map(s -> ((Step.AddNetns) s).name()).toList();

                assertThat(added).containsExactlyElementsOf(p.netnsNames());
                assertThat(steps.subList(0, added.size())).allMatch(s -> s instanceof Step.AddNetns);
                assertThat(steps).allMatch(s -> netnsOf(s).startsWith("wl-"), "runs in a wl- namespace");
            }
        }
    }

    private static String netnsOf(Step s) {
        if (s instanceof Step.AddNetns a) {
            return a.name();
        } else if (s instanceof Step.IpBatch i) {
            return i.netns();
        } else if (s instanceof Step.BridgeBatch b) {
            return b.netns();
        } else if (s instanceof Step.Sysctl c) {
            return c.netns();
        } else if (s instanceof Step.IptablesRestore r) {
            return r.netns();
        }
        throw new AssertionError(s);
    }

    @Test
    void flannelVxlanNodeHasABridgeAVtepAndARoutePerRemoteNode() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.VXLAN));

        assertThat(lines(steps, "wl-n1")).contains(
                "addr add 10.244.1.1/24 dev cni0",
                "link add flannel.1 address 02:77:6c:00:00:01 mtu 1450 type vxlan id 1 local 192.168.222.11 dev eth0 "
                        + "dstport 8472 nolearning",
                "addr add 10.244.1.0/32 dev flannel.1",
                "neigh add 10.244.2.0 lladdr 02:77:6c:00:00:02 dev flannel.1 nud permanent",
                "route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink",
                "link add veth2aeadbc7 mtu 1450 type veth peer name eth0 mtu 1450 address 0a:58:0a:f4:01:02 netns "
                        + "wl-x-a",
                "link set veth2aeadbc7 master cni0");
        assertThat(steps).contains(new Step.BridgeBatch("wl-n1",
                List.of("fdb append 02:77:6c:00:00:02 dev flannel.1 dst 192.168.222.12 self permanent")));
        assertThat(lines(steps, "wl-x-a")).containsExactly("link set lo up", "addr add 10.244.1.2/24 dev eth0",
                "link set eth0 up", "route add default via 10.244.1.1 dev eth0");
    }

    @Test
    void flannelNodesTurnOnBrNetfilterAndForwarding() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.VXLAN));

        assertThat(steps).filteredOn(s -> s instanceof Step.Sysctl c && c.netns().equals("wl-n2"))
                .singleElement().extracting(s -> ((Step.Sysctl) s).values())
                .isEqualTo(java.util.Map.of("net.ipv4.ip_forward", "1", "net.bridge.bridge-nf-call-iptables", "1"));
    }

    @Test
    void hostGwRoutesRemoteSubnetsOverTheUnderlayWithoutVxlan() {
        List<Step> steps = TopologyScript.steps(plan(Topology.FLANNEL, Backend.HOST_GW));

        assertThat(lines(steps, "wl-n1")).contains("route add 10.244.2.0/24 via 192.168.222.12 dev eth0")
                .noneMatch(l -> l.contains("flannel.1"));
        assertThat(steps).noneMatch(s -> s instanceof Step.BridgeBatch);
    }

    @Test
    void canalPodsAreRoutedSlash32sBehindAProxyArpNextHop() {
        List<Step> steps = TopologyScript.steps(plan(Topology.CANAL, Backend.VXLAN));

        assertThat(lines(steps, "wl-n1")).contains("link add cali456b416f2bf mtu 1450 type veth peer name eth0 mtu 1450 "
                + "address 0a:58:0a:f4:01:02 netns wl-x-a", "route add 10.244.1.2/32 dev cali456b416f2bf scope link").noneMatch(l -> l.contains("cni0"));
        assertThat(lines(steps, "wl-x-a")).containsExactly("link set lo up", "addr add 10.244.1.2/32 dev eth0",
                "link set eth0 up", "route add 169.254.1.1 dev eth0 scope link",
                "route add default via 169.254.1.1 dev eth0");
        assertThat(steps).filteredOn(s -> s instanceof Step.Sysctl c && c.netns().equals("wl-n1")).singleElement()
                .extracting(s -> ((Step.Sysctl) s).values())
                .satisfies(v -> assertThat(v).containsEntry("net.ipv4.conf.cali456b416f2bf.proxy_arp", "1")
                        .containsEntry("net.ipv4.neigh.cali456b416f2bf.proxy_delay", "0")
                        .doesNotContainKey("net.bridge.bridge-nf-call-iptables"));
    }
    @Test
    void everyNodeCarriesFlannelsForwardAcceptsAndMasqueradeAfterItsAddresses() {
        for (Topology t : Topology.values()) {
            List<Step> steps = TopologyScript.steps(plan(t, Backend.VXLAN));
            List<Step.IptablesRestore> rules = steps.stream().filter(s -> s instanceof Step.IptablesRestore)
                    .map(s -> (Step.IptablesRestore) s).toList();

            assertThat(rules).extracting(Step.IptablesRestore::netns).containsExactly("wl-n1", "wl-n2");
            assertThat(steps.indexOf(rules.get(0))).isGreaterThan(steps.stream()
                    .filter(s -> s instanceof Step.Sysctl).map(steps::indexOf).max(Integer::compare).orElseThrow());
            assertThat(rules.get(1).text().lines().toList()).contains(
                    "-A FORWARD -m comment --comment \"flanneld forward\" -j FLANNEL-FWD",
                    "-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT",
                    "-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT",
                    "-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG",
                    "-A FLANNEL-POSTRTG -s 10.244.2.0/24 -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" "
                            + "-j RETURN",
                    "-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" "
                            + "-j MASQUERADE --random-fully");
        }
    }

    @Test
    void aHostNetworkPodGetsNoNamespaceNoVethAndNoAddressOfItsOwn() {
        LabSpec base = LabSpec.defaultCluster(2, Topology.FLANNEL, Backend.VXLAN);
        List<LabSpec.PodSpec> pods = new java.util.ArrayList<>(base.pods());
        pods.add(new LabSpec.PodSpec("x", "h", java.util.Map.of("pod", "h"), LabSpec.servePorts(List.of(80)), 2)
                .onHostNetwork());
        LabPlan p = AddressPlanner.plan(new LabSpec(2, Topology.FLANNEL, Backend.VXLAN, base.namespaces(), pods),
                "wl-");
        LabPlan.PodPlan h = p.pod("x/h").orElseThrow();

        assertThat(h.hostNetwork()).isTrue();
        assertThat(h.netns()).isEqualTo("wl-n2");
        assertThat(h.ip()).isEqualTo("192.168.222.12");
        assertThat(h.hostVeth()).isNull();
        assertThat(p.netnsNames()).doesNotContain("wl-x-h").containsOnlyOnce("wl-n2");
        List<Step> steps = TopologyScript.steps(p);
        assertThat(lines(steps, "wl-n2")).hasSize(lines(TopologyScript.steps(plan(Topology.FLANNEL, Backend.VXLAN)),
                "wl-n2").size());
        assertThat(CniResultCache.files(p, "wl-n2")).hasSize(4);
        assertThat(dev.weir.lab.api.ClusterObjects.pods(p)).filteredOn(o -> o.getMetadata().getName().equals("h"))
                .singleElement().satisfies(o -> {
                    assertThat(o.getSpec().getHostNetwork()).isTrue();
                    assertThat(o.getStatus().getPodIP()).isEqualTo("192.168.222.12");
                    assertThat(o.getStatus().getHostIP()).isEqualTo("192.168.222.12");
                });
    }

    @Test
    void twoHostNetworkPodsOnOneNodeMayNotServeTheSamePort() {
        LabSpec.PodSpec a = new LabSpec.PodSpec("x", "h1", java.util.Map.of(), LabSpec.servePorts(List.of(80)), 1)
                .onHostNetwork();
        LabSpec.PodSpec b = new LabSpec.PodSpec("x", "h2", java.util.Map.of(), LabSpec.servePorts(List.of(80)), 1)
                .onHostNetwork();
        LabSpec.PodSpec c = new LabSpec.PodSpec("x", "h3", java.util.Map.of(), LabSpec.servePorts(List.of(80)), 2)
                .onHostNetwork();
        List<LabSpec.NamespaceSpec> ns = List.of(new LabSpec.NamespaceSpec("x", java.util.Map.of()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AddressPlanner.plan(
                new LabSpec(2, Topology.CANAL, Backend.VXLAN, ns, List.of(a, b)), "wl-"))
                .hasMessageContaining("hostNetwork pods x/h1 and x/h2 both serve 80/TCP on node 1");
        assertThat(AddressPlanner.plan(new LabSpec(2, Topology.CANAL, Backend.VXLAN, ns, List.of(a, c)), "wl-")
                .pods()).extracting(LabPlan.PodPlan::ip).containsExactly("192.168.222.11", "192.168.222.12");
    }
}
