package dev.weir.lab.topology;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.Topology;
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
    /** Calico's link-local next hop for routed veths; the host side answers ARP for it by proxy. */
    public static final String CANAL_NEXT_HOP = "169.254.1.1";

    private TopologyScript() {
    }

    public static List<Step> steps(LabPlan plan) {
        List<Step> steps = new ArrayList<>();
        plan.netnsNames().forEach(n -> steps.add(new Step.AddNetns(n)));
        steps.add(new Step.IpBatch(plan.underlayNetns(), underlay(plan)));
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

    static int mtu(LabPlan plan) {
        return plan.backend() == Backend.VXLAN ? VXLAN_MTU : 1500;
    }

    static List<String> underlay(LabPlan plan) {
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        l.add("link add br0 type bridge");
        l.add("addr add " + plan.underlayGateway() + "/24 dev br0");
        l.add("link set br0 up");
        for (LabPlan.NodePlan n : plan.nodes()) {
            l.add("link add " + n.underlayPort() + " type veth peer name eth0 netns " + n.netns());
            l.add("link set " + n.underlayPort() + " master br0");
            l.add("link set " + n.underlayPort() + " up");
        }
        return l;
    }

    static List<String> node(LabPlan plan, LabPlan.NodePlan n) {
        int mtu = mtu(plan);
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        l.add("addr add " + n.underlayIp() + "/24 dev eth0");
        l.add("link set eth0 up");
        // a default route as real nodes have; canal's proxy ARP only answers for addresses routed out another device
        l.add("route add default via " + plan.underlayGateway() + " dev eth0");
        if (plan.topology() == Topology.FLANNEL) {
            l.add("link add cni0 mtu " + mtu + " type bridge");
            l.add("addr add " + n.gateway() + "/24 dev cni0");
            l.add("link set cni0 up");
        }
        if (plan.backend() == Backend.VXLAN) {
            l.add("link add flannel.1 address " + n.vtepMac() + " mtu " + mtu + " type vxlan id " + VNI + " local "
                    + n.underlayIp() + " dev eth0 dstport " + VXLAN_PORT + " nolearning");
            l.add("addr add " + n.vtepIp() + "/32 dev flannel.1");
            l.add("link set flannel.1 up");
        }
        for (LabPlan.NodePlan r : plan.nodes()) {
            if (r.index() == n.index()) {
                continue;
            }
            if (plan.backend() == Backend.VXLAN) {
                // what flanneld programs per remote node: ARP for its VTEP and a subnet route (FDB: see fdb())
                l.add("neigh add " + r.vtepIp() + " lladdr " + r.vtepMac() + " dev flannel.1 nud permanent");
                l.add("route add " + r.podCidr() + " via " + r.vtepIp() + " dev flannel.1 onlink");
            } else {
                l.add("route add " + r.podCidr() + " via " + r.underlayIp() + " dev eth0");
            }
        }
        for (LabPlan.PodPlan p : plan.podNetworkPodsOn(n.name())) {
            l.add("link add " + p.hostVeth() + " mtu " + mtu + " type veth peer name eth0 mtu " + mtu + " address "
                    + p.mac() + " netns " + p.netns());
            if (plan.topology() == Topology.FLANNEL) {
                l.add("link set " + p.hostVeth() + " master cni0");
                l.add("link set " + p.hostVeth() + " up");
            } else {
                l.add("link set " + p.hostVeth() + " up");
                l.add("route add " + p.ip() + "/32 dev " + p.hostVeth() + " scope link");
            }
        }
        return l;
    }

    /** One FDB entry per remote node: its VTEP MAC lives behind its underlay IP (flanneld writes the same). */
    static List<String> fdb(LabPlan plan, LabPlan.NodePlan n) {
        List<String> l = new ArrayList<>();
        if (plan.backend() != Backend.VXLAN) {
            return l;
        }
        for (LabPlan.NodePlan r : plan.nodes()) {
            if (r.index() != n.index()) {
                l.add("fdb append " + r.vtepMac() + " dev flannel.1 dst " + r.underlayIp() + " self permanent");
            }
        }
        return l;
    }

    static List<String> pod(LabPlan plan, LabPlan.PodPlan p) {
        LabPlan.NodePlan n = plan.node(p.node());
        List<String> l = new ArrayList<>();
        l.add("link set lo up");
        if (plan.topology() == Topology.FLANNEL) {
            l.add("addr add " + p.ip() + "/24 dev eth0");
            l.add("link set eth0 up");
            l.add("route add default via " + n.gateway() + " dev eth0");
        } else {
            l.add("addr add " + p.ip() + "/32 dev eth0");
            l.add("link set eth0 up");
            l.add("route add " + CANAL_NEXT_HOP + " dev eth0 scope link");
            l.add("route add default via " + CANAL_NEXT_HOP + " dev eth0");
        }
        return l;
    }

    static Map<String, String> nodeSysctls(LabPlan plan, LabPlan.NodePlan n) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("net.ipv4.ip_forward", "1");
        if (plan.topology() == Topology.FLANNEL) {
            // pod-to-pod traffic on cni0 is bridged; only br_netfilter shows it to iptables (per netns since 5.3)
            s.put("net.bridge.bridge-nf-call-iptables", "1");
        } else {
            for (LabPlan.PodPlan p : plan.podNetworkPodsOn(n.name())) {
                s.put("net.ipv4.conf." + p.hostVeth() + ".proxy_arp", "1");
                s.put("net.ipv4.neigh." + p.hostVeth() + ".proxy_delay", "0"); // else the first ARP waits ~0.8 s
            }
        }
        return s;
    }
}
