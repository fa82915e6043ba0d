package dev.weir.lab.topology;

import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.lab.sys.CommandRunner;
import dev.weir.model.IpFamily;
import java.util.List;

/**
 * Which iptables backend a lab node uses, said the way kubelet says it on a real node: kubelet creates the chains
 * {@code KUBE-IPTABLES-HINT} and {@code KUBE-KUBELET-CANARY} in the mangle table with the iptables it runs, and
 * whatever runs later on the node (kube-proxy's iptables-wrapper, Calico's Felix, weir's agent with
 * {@code --iptables-backend auto}) reads them to program the same backend. {@code weir lab up --node-iptables legacy}
 * makes every node a legacy node, so an agent that picked nft (say, an image whose {@code iptables} alternative is nft)
 * would be caught: its rules would sit in a table the node's other rules do not share.
 */
public final class NodeIptables {

    /** The restore text: the two empty chains, nothing that touches a packet. */
    static final String HINTS = "*mangle\n:KUBE-IPTABLES-HINT - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\nCOMMIT\n";

    private NodeIptables() {
    }

    /** The commands that leave kubelet's hint chains in {@code netns}, IPv4 and IPv6, with {@code backend}. */
    static List<List<String>> commands(String netns, IptablesBackend backend) {
        return List.of(IpFamily.values()).stream()
                .map(f -> List.of("ip", "netns", "exec", netns, backend.restoreBinary(f), "--noflush")).toList();
    }

    public static void mark(LabPlan plan, IptablesBackend backend, CommandRunner runner) {
        for (LabPlan.NodePlan n : plan.nodes()) {
            commands(n.netns(), backend).forEach(argv -> runner.check(argv, HINTS));
        }
    }
}
