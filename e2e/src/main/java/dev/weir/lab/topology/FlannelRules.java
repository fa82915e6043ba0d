package dev.weir.lab.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules flanneld itself keeps on every node (with {@code --ip-masq}, as its stock manifest and canal's
 * run it), so that weir's hooks are tested in front of other software's rules as on a real node: in the filter table a
 * {@code FLANNEL-FWD} chain, appended to FORWARD, that accepts whatever comes from or goes to the cluster network; in
 * the nat table a {@code FLANNEL-POSTRTG} chain, appended to POSTROUTING, that leaves kube-proxy's masquerade-marked
 * packets and pod-to-pod traffic alone and masquerades pods' traffic leaving the cluster network and the host's
 * traffic into it. The shapes (chains, matches, comments, order) follow flannel's iptables traffic manager; the text is
 * the lab's own. IPv4 only.
 *
 * <p>The nat rules also make the node track connections from the start (a NAT hook needs conntrack), as every real
 * node does; without them a lab node would track connections only once weir loads its first conntrack rule.
 */
public final class FlannelRules {

    /** flannel's {@code Network}: the cluster network every node's pod CIDR is carved from. */
    public static final String CLUSTER_CIDR = AddressPlanner.POD_PREFIX + "0.0/16";
    /** kube-proxy's masquerade mark, which flannel's first POSTROUTING rule leaves to kube-proxy. */
    public static final String KUBE_PROXY_MASQ_MARK = "0x4000/0x4000";

    private static final String MASQ = "-m comment --comment \"flanneld masq\"";
    private static final String FORWARD = "-m comment --comment \"flanneld forward\"";

    private FlannelRules() {
    }

    /** The {@code iptables-restore --noflush} input for node {@code n}: the nat table, then the filter table. */
    public static String restoreText(LabPlan.NodePlan n) {
        String lease = n.podCidr();
        List<String> l = new ArrayList<>();
        l.add("*nat");
        l.add(":FLANNEL-POSTRTG - [0:0]");
        l.add("-A POSTROUTING " + MASQ + " -j FLANNEL-POSTRTG");
        l.add("-A FLANNEL-POSTRTG -m mark --mark " + KUBE_PROXY_MASQ_MARK + " " + MASQ + " -j RETURN");
        l.add("-A FLANNEL-POSTRTG -s " + lease + " -d " + CLUSTER_CIDR + " " + MASQ + " -j RETURN");
        l.add("-A FLANNEL-POSTRTG -s " + CLUSTER_CIDR + " -d " + lease + " " + MASQ + " -j RETURN");
        l.add("-A FLANNEL-POSTRTG ! -s " + CLUSTER_CIDR + " -d " + lease + " " + MASQ + " -j RETURN");
        l.add("-A FLANNEL-POSTRTG -s " + CLUSTER_CIDR + " ! -d 224.0.0.0/4 " + MASQ + " -j MASQUERADE --random-fully");
        l.add("-A FLANNEL-POSTRTG ! -s " + CLUSTER_CIDR + " -d " + CLUSTER_CIDR + " " + MASQ
                + " -j MASQUERADE --random-fully");
        l.add("COMMIT");
        l.add("*filter");
        l.add(":FLANNEL-FWD - [0:0]");
        l.add("-A FORWARD " + FORWARD + " -j FLANNEL-FWD");
        l.add("-A FLANNEL-FWD -s " + CLUSTER_CIDR + " " + FORWARD + " -j ACCEPT");
        l.add("-A FLANNEL-FWD -d " + CLUSTER_CIDR + " " + FORWARD + " -j ACCEPT");
        l.add("COMMIT");
        return String.join("\n", l) + "\n";
    }
}
