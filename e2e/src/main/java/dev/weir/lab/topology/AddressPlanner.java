package dev.weir.lab.topology;

import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.model.ContainerPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link LabSpec} into a {@link LabPlan}: names and addresses only, no I/O.
 *
 * <p>Underlay {@code 192.168.222.0/24} (the underlay bridge is {@code .1}, node i is {@code .(10+i)}); node i owns
 * {@code 10.244.i.0/24} as flannel hands out with SubnetLen 24; pods take {@code .2} upwards in spec order. Pods
 * without a node are dealt out round-robin, so with two or more nodes both same-node and cross-node pairs exist.
 * Host-side interface names are what the CNI plugins a real node runs would give (Linux allows 15 characters): canal
 * pods get Calico's {@code cali} + the first 11 hex digits of SHA-1 of {@code <namespace>.<pod>}, flannel pods the
 * bridge plugin's {@code veth} + 8 hex digits, random there and a hash of the pod's namespace name here, so nothing
 * about the pod can be read from it (the agent must find it, as on a real node). A pod's MAC is {@code 0a:58} + its
 * IPv4 address, as the bridge plugin used to derive it. A hostNetwork pod takes its node's namespace and underlay
 * address and no pod address; two on one node may not declare the same port and protocol (the scheduler would not
 * place them together). A lab with IPv6 ({@code --ip-family ipv6|dual}) gets each address's IPv6 twin from
 * {@link Ipv6Plan}; an IPv6-only lab plans the IPv4 ones all the same (the MACs come from them) and configures none
 * of them.
 */
public final class AddressPlanner {

    public static final String UNDERLAY_PREFIX = "192.168.222.";
    public static final String POD_PREFIX = "10.244.";

    private AddressPlanner() {
    }

    public static LabPlan plan(LabSpec spec, String prefix) {
        if (!prefix.matches("[a-z0-9][a-z0-9-]{0,12}")) {
            throw new IllegalArgumentException("lab prefix \"" + prefix + "\" must be 1-13 of [a-z0-9-]");
        }
        List<LabPlan.NodePlan> nodes = new ArrayList<>();
        for (int i = 1; i <= spec.nodes(); i++) {
            nodes.add(new LabPlan.NodePlan(i, prefix + "n" + i, UNDERLAY_PREFIX + (10 + i),
                    POD_PREFIX + i + ".0/24", POD_PREFIX + i + ".1", POD_PREFIX + i + ".0",
                    String.format("02:77:6c:00:%02x:%02x", i >> 8, i & 0xff), "n" + i));
        }
        Map<Integer, Integer> nextHost = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (LabSpec.PodSpec p : spec.pods()) {
            if (p.ip() != null) {
                int host = hostIn(p.ip(), p.node());
                if (host < 2 || host > 254 || !taken.add(p.ip())) {
                    throw new IllegalArgumentException("pod " + p.key() + " asks for " + p.ip()
                            + ", which is taken or not a pod address of node " + p.node());
                }
            }
        }
        List<LabPlan.PodPlan> pods = new ArrayList<>();
        int spread = 0;
        Set<String> netns = new HashSet<>();
        Map<String, String> hostPorts = new HashMap<>();
        for (int k = 0; k < spec.pods().size(); k++) {
            LabSpec.PodSpec p = spec.pods().get(k);
            int node = p.node() > 0 ? p.node() : (spread++ % spec.nodes()) + 1;
            if (p.hostNetwork()) {
                LabPlan.NodePlan on = nodes.get(node - 1);
                for (ContainerPort port : p.ports()) {
                    String other = hostPorts.putIfAbsent(on.name() + " " + port.port() + "/" + port.protocol(),
                            p.key());
                    if (other != null && !other.equals(p.key())) {
                        // the scheduler's NodePorts filter: a hostNetwork pod's container ports are host ports
                        throw new IllegalArgumentException("hostNetwork pods " + other + " and " + p.key()
                                + " both serve " + port.port() + "/" + port.protocol() + " on node " + node);
                    }
                }
                pods.add(new LabPlan.PodPlan(p.namespace(), p.name(), p.labels(), p.ports(), on.name(), on.netns(),
                        on.underlayIp(), null, true));
                continue;
            }
            int host;
            if (p.ip() != null) {
                host = hostIn(p.ip(), node);
            } else {
                do {
                    host = nextHost.merge(node, 1, Integer::sum) + 1; // .2, .3, ... around the requested ones
                } while (taken.contains(POD_PREFIX + node + "." + host));
            }
            if (host > 254) {
                throw new IllegalArgumentException("node " + node + " has more pods than its /24 holds");
            }
            String podNetns = podNetns(prefix, p.namespace(), p.name());
            if (!netns.add(podNetns)) {
                throw new IllegalArgumentException("pods " + p.key() + " and another map to the same network namespace "
                        + podNetns + "; rename one");
            }
            pods.add(new LabPlan.PodPlan(p.namespace(), p.name(), p.labels(), p.ports(), nodes.get(node - 1).name(),
                    podNetns, POD_PREFIX + node + "." + host, hostInterface(spec.topology(), p.namespace(), p.name(),
                            podNetns)));
        }
        return new LabPlan(prefix, spec.topology(), spec.backend(), prefix + "underlay", UNDERLAY_PREFIX + "1", nodes,
                pods, spec.ipStack());
    }

    /** The last byte of {@code ip} if it is in node {@code node}'s {@code 10.244.<node>.0/24}, else -1. */
    public static int hostIn(String ip, int node) {
        String net = POD_PREFIX + node + ".";
        if (!ip.startsWith(net)) {
            return -1;
        }
        try {
            return Integer.parseInt(ip.substring(net.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The node whose pod CIDR holds {@code ip} and the host byte (2-254), or empty when no node of {@code nodes} does. */
    public static java.util.Optional<int[]> nodeAndHost(String ip, int nodes) {
        for (int i = 1; i <= nodes; i++) {
            int h = hostIn(ip, i);
            if (h >= 2 && h <= 254) {
                return java.util.Optional.of(new int[] {i, h});
            }
        }
        return java.util.Optional.empty();
    }

    /** The host side of a pod's veth, as its topology's CNI plugin would name it (see the class comment). */
    static String hostInterface(Topology topology, String namespace, String pod, String podNetns) {
        if (topology == Topology.CANAL) {
            try {
                byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1")
                        .digest((namespace + "." + pod).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "cali" + java.util.HexFormat.of().formatHex(sha1).substring(0, 11);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
        return "veth" + dev.weir.graph.Ids.hex("veth:" + podNetns).substring(0, 8);
    }

    /** {@code <prefix><ns>-<pod>}: a file name under /run/netns, so the 15-character link limit does not apply. */
    public static String podNetns(String prefix, String namespace, String pod) {
        return prefix + namespace + "-" + pod;
    }
}
