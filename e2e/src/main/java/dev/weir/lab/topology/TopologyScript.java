package dev.weir.lab.topology;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.Topology;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps that build a {@link LabPlan} with {@code ip}, in an order where every reference already exists: all
 * namespaces, then the underlay bridge (it creates each node's {@code eth0}), then each node (it creates each pod's
 * {@code eth0}), then each pod, then sysctls, then flannel's own iptables rules on each node
 * ({@link FlannelRules}). Nothing is created in the caller's own namespace: every veth is made
 * with both ends already inside lab namespaces, so deleting the namespaces removes every link.
 */
public final class TopologyScript {

    /** flannel's VXLAN defaults: VNI 1 on UDP 8472, and 50 bytes of encapsulation off a 1500 MTU. */
    public static final int VNI = 1;
    public static final int VXLAN_PORT = 8472;
    public static final int VXLAN_MTU = 1450;
    /** flannel's IPv6 VXLAN device ({@code flannel-v6.1}), 70 bytes of encapsulation over an IPv6 underlay. */
    public static final String VXLAN_V6_DEVICE = "flannel-v6.1";
    public static final int VXLAN_V6_MTU = 1430;
    /** Calico's link-local next hop for routed veths; the host side answers ARP for it by proxy. */
    public static final String CANAL_NEXT_HOP = "169.254.1.1";

    private TopologyScript() {
    }

    public static List<Step> steps(LabPlan plan) {
        List<Step> steps = new ArrayList<>();
        plan.netnsNames().forEach(n -> steps.add(new Step.AddNetns(n)));
        if (plan.has(IpFamily.V6)) {
            // before any link exists (each copies "default"): no duplicate address detection, so a link-local next hop
            // (canal's) answers at once instead of after a second or two of being tentative; global addresses get
            // nodad
            plan.netnsNames().forEach(n -> steps.add(new Step.Sysctl(n, Map.of("net.ipv6.conf.default.accept_dad",
                    "0", "net.ipv6.conf.all.accept_dad", "0"))));
        }
        steps.add(new Step.IpBatch(plan.underlayNetns(), underlay(plan)));
        steps.add(new Step.IpBatch(plan.clientNetns(), client(plan)));
        for (LabPlan.NodePlan n : plan.nodes()) {
            steps.add(new Step.IpBatch(n.netns(), node(plan, n)));
            List<String> fdb = fdb(plan, n);
            if (!fdb.isEmpty()) {
                steps.add(new Step.BridgeBatch(n.netns(), fdb));
            }
        }
        plan.podNetworkPods().forEach(p -> steps.add(new Step.IpBatch(p.netns(), pod(plan, p))));
        plan.nodes().forEach(n -> steps.add(new Step.Sysctl(n.netns(), nodeSysctls(plan, n))));
        plan.nodes().forEach(n -> steps.add(new Step.IptablesRestore(n.netns(), FlannelRules.restoreText(n))));
        return steps;
    }

    /**
     * The MTU of pods and {@code cni0}: what is left inside VXLAN, over IPv6 (when the lab has it) 20 bytes less than
     * over IPv4, as flannel's {@code flannel-v6.1} has.
     */
    static int mtu(LabPlan plan) {
        if (plan.backend() != Backend.VXLAN) {
            return 1500;
        }
        return plan.has(IpFamily.V6) ? VXLAN_V6_MTU : VXLAN_MTU;
    }

    static List<String> underlay(LabPlan plan) {
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        l.add("link add br0 type bridge");
        if (plan.has(IpFamily.V4)) {
            l.add("addr add " + plan.underlayGateway() + "/24 dev br0");
        }
        if (plan.has(IpFamily.V6)) {
            l.add("addr add " + Ipv6Plan.UNDERLAY_GATEWAY + "/64 dev br0 nodad");
        }
        l.add("link set br0 up");
        for (LabPlan.NodePlan n : plan.nodes()) {
            l.add("link add " + n.underlayPort() + " type veth peer name eth0 netns " + n.netns());
            l.add("link set " + n.underlayPort() + " master br0");
            l.add("link set " + n.underlayPort() + " up");
        }
        l.add("link add client type veth peer name eth0 netns " + plan.clientNetns());
        l.add("link set client master br0");
        l.add("link set client up");
        return l;
    }

    /**
     * The client outside the cluster: an address on the underlay per family the lab has, no route beyond it (node
     * ports are on it).
     */
    static List<String> client(LabPlan plan) {
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        if (plan.has(IpFamily.V4)) {
            l.add("addr add " + LabPlan.CLIENT_IP + "/24 dev eth0");
        }
        if (plan.has(IpFamily.V6)) {
            l.add("addr add " + Ipv6Plan.CLIENT_IP + "/64 dev eth0 nodad");
        }
        l.add("link set eth0 up");
        return l;
    }

    static List<String> node(LabPlan plan, LabPlan.NodePlan n) {
        int mtu = mtu(plan);
        boolean v4 = plan.has(IpFamily.V4);
        boolean v6 = plan.has(IpFamily.V6);
        boolean vxlan = plan.backend() == Backend.VXLAN;
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        if (v4) {
            l.add("addr add " + n.underlayIp() + "/24 dev eth0");
        }
        if (v6) {
            l.add("addr add " + n.underlayIpv6() + "/64 dev eth0 nodad");
        }
        l.add("link set eth0 up");
        // a default route as real nodes have; canal's proxy ARP only answers for addresses routed out another device
        if (v4) {
            l.add("route add default via " + plan.underlayGateway() + " dev eth0");
        }
        if (v6) {
            l.add("route add ::/0 via " + Ipv6Plan.UNDERLAY_GATEWAY + " dev eth0");
        }
        if (plan.topology() == Topology.FLANNEL) {
            l.add("link add cni0 mtu " + mtu + " type bridge");
            if (v4) {
                l.add("addr add " + n.gateway() + "/24 dev cni0");
            }
            if (v6) {
                l.add("addr add " + n.gatewayV6() + "/64 dev cni0 nodad");
            }
            l.add("link set cni0 up");
        }
        if (vxlan && v4) {
            l.add("link add flannel.1 address " + n.vtepMac() + " mtu " + VXLAN_MTU + " type vxlan id " + VNI
                    + " local " + n.underlayIp() + " dev eth0 dstport " + VXLAN_PORT + " nolearning");
            l.add("addr add " + n.vtepIp() + "/32 dev flannel.1");
            l.add("link set flannel.1 up");
        }
        if (vxlan && v6) {
            // flannel's IPv6 overlay: its own device over the IPv6 underlay, same VNI and port (sockets per family)
            l.add("link add " + VXLAN_V6_DEVICE + " address " + n.vtepMacV6() + " mtu " + VXLAN_V6_MTU
                    + " type vxlan id " + VNI + " local " + n.underlayIpv6() + " dev eth0 dstport " + VXLAN_PORT
                    + " nolearning");
            l.add("addr add " + n.vtepIpv6() + "/128 dev " + VXLAN_V6_DEVICE + " nodad");
            l.add("link set " + VXLAN_V6_DEVICE + " up");
        }
        for (LabPlan.NodePlan r : plan.nodes()) {
            if (r.index() == n.index()) {
                continue;
            }
            if (vxlan) {
                // what flanneld programs per remote node: ARP (NDP) for its VTEP and a subnet route (FDB: see fdb())
                if (v4) {
                    l.add("neigh add " + r.vtepIp() + " lladdr " + r.vtepMac() + " dev flannel.1 nud permanent");
                    l.add("route add " + r.podCidr() + " via " + r.vtepIp() + " dev flannel.1 onlink");
                }
                if (v6) {
                    l.add("neigh add " + r.vtepIpv6() + " lladdr " + r.vtepMacV6() + " dev " + VXLAN_V6_DEVICE
                            + " nud permanent");
                    l.add("route add " + r.podCidrV6() + " via " + r.vtepIpv6() + " dev " + VXLAN_V6_DEVICE
                            + " onlink");
                }
            } else {
                // host-gw: one route per family to the other node's subnet through its underlay address
                if (v4) {
                    l.add("route add " + r.podCidr() + " via " + r.underlayIp() + " dev eth0");
                }
                if (v6) {
                    l.add("route add " + r.podCidrV6() + " via " + r.underlayIpv6() + " dev eth0");
                }
            }
        }
        for (LabPlan.PodPlan p : plan.podNetworkPodsOn(n.name())) {
            // canal with IPv6: Calico's fixed MAC on the host side, whose link-local address is the pods' next hop
            String hostMac = plan.topology() == Topology.CANAL && v6 ? " address " + Ipv6Plan.CANAL_HOST_MAC : "";
            l.add("link add " + p.hostVeth() + hostMac + " mtu " + mtu + " type veth peer name eth0 mtu " + mtu
                    + " address " + p.mac() + " netns " + p.netns());
            if (plan.topology() == Topology.FLANNEL) {
                l.add("link set " + p.hostVeth() + " master cni0");
                // flannel's CNI config sets hairpinMode: a pod its Service sends back to itself gets the packet
                l.add("link set " + p.hostVeth() + " type bridge_slave hairpin on");
                l.add("link set " + p.hostVeth() + " up");
            } else {
                l.add("link set " + p.hostVeth() + " up");
                if (v4) {
                    l.add("route add " + p.ip() + "/32 dev " + p.hostVeth() + " scope link");
                }
                if (v6) {
                    l.add("route add " + p.ip(IpFamily.V6) + "/128 dev " + p.hostVeth());
                }
            }
        }
        return l;
    }

    /** One FDB entry per remote node and family: its VTEP MAC lives behind its underlay IP (flanneld writes the same). */
    static List<String> fdb(LabPlan plan, LabPlan.NodePlan n) {
        List<String> l = new ArrayList<>();
        if (plan.backend() != Backend.VXLAN) {
            return l;
        }
        for (LabPlan.NodePlan r : plan.nodes()) {
            if (r.index() == n.index()) {
                continue;
            }
            if (plan.has(IpFamily.V4)) {
                l.add("fdb append " + r.vtepMac() + " dev flannel.1 dst " + r.underlayIp() + " self permanent");
            }
            if (plan.has(IpFamily.V6)) {
                l.add("fdb append " + r.vtepMacV6() + " dev " + VXLAN_V6_DEVICE + " dst " + r.underlayIpv6()
                        + " self permanent");
            }
        }
        return l;
    }

    static List<String> pod(LabPlan plan, LabPlan.PodPlan p) {
        LabPlan.NodePlan n = plan.node(p.node());
        boolean v4 = plan.has(IpFamily.V4);
        boolean v6 = plan.has(IpFamily.V6);
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        if (plan.topology() == Topology.FLANNEL) {
            if (v4) {
                l.add("addr add " + p.ip() + "/24 dev eth0");
            }
            if (v6) {
                l.add("addr add " + p.ip(IpFamily.V6) + "/64 dev eth0 nodad");
            }
            l.add("link set eth0 up");
            if (v4) {
                l.add("route add default via " + n.gateway() + " dev eth0");
            }
            if (v6) {
                l.add("route add ::/0 via " + n.gatewayV6() + " dev eth0");
            }
        } else {
            if (v4) {
                l.add("addr add " + p.ip() + "/32 dev eth0");
            }
            if (v6) {
                l.add("addr add " + p.ip(IpFamily.V6) + "/128 dev eth0 nodad");
            }
            l.add("link set eth0 up");
            if (v4) {
                l.add("route add " + CANAL_NEXT_HOP + " dev eth0 scope link");
                l.add("route add default via " + CANAL_NEXT_HOP + " dev eth0");
            }
            if (v6) {
                l.add("route add ::/0 via " + Ipv6Plan.CANAL_NEXT_HOP + " dev eth0");
            }
        }
        return l;
    }

    static Map<String, String> nodeSysctls(LabPlan plan, LabPlan.NodePlan n) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("net.ipv4.ip_forward", "1");
        if (plan.has(IpFamily.V6)) {
            s.put("net.ipv6.conf.all.forwarding", "1");
        }
        if (plan.topology() == Topology.FLANNEL) {
            // pod-to-pod traffic on cni0 is bridged; only br_netfilter shows it to iptables (per netns since 5.3)
            s.put("net.bridge.bridge-nf-call-iptables", "1");
            if (plan.has(IpFamily.V6)) {
                s.put("net.bridge.bridge-nf-call-ip6tables", "1"); // and to ip6tables, a switch of its own
            }
        } else {
            for (LabPlan.PodPlan p : plan.podNetworkPodsOn(n.name())) {
                s.put("net.ipv4.conf." + p.hostVeth() + ".proxy_arp", "1");
                s.put("net.ipv4.neigh." + p.hostVeth() + ".proxy_delay", "0"); // else the first ARP waits ~0.8 s
            }
        }
        return s;
    }
}
