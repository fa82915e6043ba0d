package dev.weir.lab.kubeproxy;

import dev.weir.model.Endpoint;
import dev.weir.model.Protocol;
import dev.weir.model.Service;
import dev.weir.service.ServiceRoutes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules kube-proxy's iptables mode writes for a node, as {@code iptables-restore} text: the lab's stand-in for
 * kube-proxy, a test fixture that mirrors the rule shapes (never part of the agent). Pure: the same Services and pods
 * give the same bytes. Endpoints come from {@link ServiceRoutes#backends}, the model {@code weir explain} routes with,
 * so the rules and explain cannot disagree about who serves a Service.
 *
 * <p>Shapes mirrored (docs/lab.md, "Services"): nat {@code KUBE-SERVICES} (a cluster IP rule per port, the node port
 * jump last, for local destinations only), {@code KUBE-SVC-*} (masquerade for sources outside the cluster CIDR, then
 * one rule per endpoint with {@code -m statistic --mode random --probability 1/n, 1/(n-1), …}, the last without),
 * {@code KUBE-SEP-*} (hairpin: the endpoint as source marks for masquerade; DNAT), {@code KUBE-NODEPORTS} → {@code
 * KUBE-EXT-*} (Cluster: mark everything for masquerade; Local: pod sources to {@code KUBE-SVC-*}, node-local sources
 * masqueraded to it, everything else to {@code KUBE-SVL-*}, the node's own endpoints, unmasqueraded), {@code
 * KUBE-MARK-MASQ} ({@code --or-mark 0x4000}) and {@code KUBE-POSTROUTING} (masquerade what carries the mark, clearing
 * it); filter {@code KUBE-FORWARD} (accepts marked and established packets), {@code KUBE-SERVICES} (rejects a cluster
 * IP port with no endpoint) and {@code KUBE-EXTERNAL-SERVICES} (drops a node port without local endpoints). Not
 * mirrored: session affinity, external IPs, load balancers, {@code KUBE-PROXY-FIREWALL}, {@code internalTrafficPolicy},
 * terminating endpoints, IPv6.
 */
public final class KubeProxyRules {

    /** kube-proxy's masquerade mark (its default {@code --iptables-masquerade-bit} 14). */
    public static final String MASQ_MARK = "0x4000";

    /** What the lab's pods are addressed from: kube-proxy's {@code --cluster-cidr}. */
    public static final String CLUSTER_CIDR = "10.244.0.0/16";

    private KubeProxyRules() {
    }

    /** One table's chains (each to be declared, hence flushed) and rules. */
    public record Table(Set<String> chains, List<String> rules) {
        public Table {
            chains = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(chains));
            rules = List.copyOf(rules);
        }
    }

    /** A node's kube-proxy rules: the nat and the filter table. */
    public record NodeRules(Table nat, Table filter) {
    }

    /**
     * The jumps from the built-in chains to kube-proxy's, as {@code iptables-restore --noflush} text. kube-proxy
     * inserts them at the top; the lab appends them, so that where they arrive while weir's agents run (the first
     * Service applied to a running lab) weir's jumps stay at position 1 without waiting for the agent's drift repair.
     * Either way a node ends up as one where kube-proxy ran first and weir's agent then inserted its jumps.
     */
    public static String hooks() {
        return String.join("\n", List.of("*mangle",
                // the chain kube-proxy leaves to say which iptables backend it uses (iptables-wrapper reads it)
                ":KUBE-IPTABLES-HINT - [0:0]",
                "COMMIT",
                "*nat",
                ":KUBE-SERVICES - [0:0]", ":KUBE-POSTROUTING - [0:0]",
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
                "COMMIT",
                "*filter",
                ":KUBE-FORWARD - [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-EXTERNAL-SERVICES - [0:0]",
                "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service "
                        + "portals\" -j KUBE-EXTERNAL-SERVICES",
                "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
                        + "-j KUBE-SERVICES",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible "
                        + "service portals\" -j KUBE-EXTERNAL-SERVICES",
                "-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
                        + "-j KUBE-SERVICES",
                "COMMIT")) + "\n";
    }

    /** The rules of {@code node}: every Service port's chains, the endpoints those of {@code pods} it selects. */
    public static NodeRules render(String node, Collection<Service> services, Collection<Endpoint> pods) {
        Set<String> natChains = new LinkedHashSet<>(List.of("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING",
                "KUBE-MARK-MASQ"));
        List<String> nat = new ArrayList<>();
        Set<String> filterChains = new LinkedHashSet<>(List.of("KUBE-FORWARD", "KUBE-SERVICES",
                "KUBE-EXTERNAL-SERVICES"));
        List<String> filter = new ArrayList<>();
        nat.add("-A KUBE-POSTROUTING -m mark ! --mark " + MASQ_MARK + "/" + MASQ_MARK + " -j RETURN");
        nat.add("-A KUBE-POSTROUTING -j MARK --xor-mark " + MASQ_MARK);
        nat.add("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" "
                + "-j MASQUERADE");
        nat.add("-A KUBE-MARK-MASQ -j MARK --or-mark " + MASQ_MARK);
        filter.add("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark " + MASQ_MARK
                + "/" + MASQ_MARK + " -j ACCEPT");
        filter.add("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack "
                + "--ctstate RELATED,ESTABLISHED -j ACCEPT");
        List<String> nodePorts = new ArrayList<>();
        List<Service> sorted = services.stream().sorted(Comparator.comparing(Service::key)).toList();
        for (Service s : sorted) {
            for (Service.Port port : s.ports()) {
                String name = s.key() + (port.name().isEmpty() ? "" : ":" + port.name());
                String proto = port.protocol().lower();
                String svc = chain("KUBE-SVC-", name, port.protocol());
                String cip = s.clusterIp() + "/32";
                List<ServiceRoutes.Backend> backends = ServiceRoutes.backends(s, port, pods);
                if (backends.isEmpty()) {
                    filter.add("-A KUBE-SERVICES -d " + cip + " -p " + proto + " -m comment --comment \"" + name
                            + " has no endpoints\" -m " + proto + " --dport " + port.port()
                            + " -j REJECT --reject-with icmp-port-unreachable");
                } else {
                    natChains.add(svc);
                    nat.add("-A KUBE-SERVICES -d " + cip + " -p " + proto + " -m comment --comment \"" + name
                            + " cluster IP\" -m " + proto + " --dport " + port.port() + " -j " + svc);
                    nat.add("-A " + svc + " ! -s " + CLUSTER_CIDR + " -d " + cip + " -p " + proto
                            + " -m comment --comment \"" + name + " cluster IP\" -m " + proto + " --dport "
                            + port.port() + " -j KUBE-MARK-MASQ");
                    balance(nat, natChains, svc, name, port.protocol(), backends);
                }
                if (s.type() != Service.Type.NODE_PORT || port.nodePort() == 0) {
                    continue;
                }
                boolean local = s.externalTrafficPolicy() == Service.TrafficPolicy.LOCAL;
                List<ServiceRoutes.Backend> here = backends.stream().filter(b -> node.equals(b.pod().node()))
                        .toList();
                if (backends.isEmpty() || (local && here.isEmpty())) {
                    filter.add("-A KUBE-EXTERNAL-SERVICES -p " + proto + " -m comment --comment \"" + name
                            + (backends.isEmpty() ? " has no endpoints" : " has no local endpoints")
                            + "\" -m addrtype --dst-type LOCAL -m " + proto + " --dport " + port.nodePort()
                            + (backends.isEmpty() ? " -j REJECT --reject-with icmp-port-unreachable" : " -j DROP"));
                    if (backends.isEmpty()) {
                        continue;
                    }
                }
                String ext = chain("KUBE-EXT-", name, port.protocol());
                natChains.add(ext);
                nodePorts.add("-A KUBE-NODEPORTS -p " + proto + " -m comment --comment \"" + name + "\" -m " + proto
                        + " --dport " + port.nodePort() + " -j " + ext);
                if (!local) {
                    nat.add("-A " + ext + " -m comment --comment \"masquerade traffic for " + name
                            + " external destinations\" -j KUBE-MARK-MASQ");
                    nat.add("-A " + ext + " -j " + svc);
                } else {
                    String svl = chain("KUBE-SVL-", name, port.protocol());
                    natChains.add(svl);
                    nat.add("-A " + ext + " -s " + CLUSTER_CIDR + " -m comment --comment \"pod traffic for " + name
                            + " external destinations\" -j " + svc);
                    nat.add("-A " + ext + " -m comment --comment \"masquerade LOCAL traffic for " + name
                            + " external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ");
                    nat.add("-A " + ext + " -m comment --comment \"route LOCAL traffic for " + name
                            + " external destinations\" -m addrtype --src-type LOCAL -j " + svc);
                    nat.add("-A " + ext + " -j " + svl);
                    if (!here.isEmpty()) {
                        balance(nat, natChains, svl, name, port.protocol(), here);
                    }
                }
            }
        }
        nat.addAll(nodePorts);
        nat.add("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last "
                + "rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        return new NodeRules(new Table(natChains, nat), new Table(filterChains, filter));
    }

    /**
     * One rule per endpoint in {@code from}: endpoint i of n is taken with probability 1/(n-i), so each is equally
     * likely; the last takes what is left. Each endpoint's {@code KUBE-SEP-*} chain (written once, also when both a
     * Service's and its local chain reach it) marks its own traffic for masquerade (hairpin) and DNATs.
     */
    private static void balance(List<String> nat, Set<String> chains, String from, String name, Protocol protocol,
            List<ServiceRoutes.Backend> backends) {
        String proto = protocol.lower();
        int n = backends.size();
        for (int i = 0; i < n; i++) {
            ServiceRoutes.Backend b = backends.get(i);
            String ip = b.pod().ips().get(0).toString();
            String to = ip + ":" + b.targetPort();
            String sep = chain("KUBE-SEP-", name + " " + to, protocol);
            nat.add("-A " + from + " -m comment --comment \"" + name + " -> " + to + "\""
                    + (i < n - 1 ? " -m statistic --mode random --probability "
                            + String.format(Locale.ROOT, "%.10f", 1.0 / (n - i)) : "") + " -j " + sep);
            if (chains.add(sep)) {
                nat.add("-A " + sep + " -s " + ip + "/32 -m comment --comment \"" + name + "\" -j KUBE-MARK-MASQ");
                nat.add("-A " + sep + " -p " + proto + " -m comment --comment \"" + name + "\" -m " + proto
                        + " -j DNAT --to-destination " + to);
            }
        }
    }

    /** {@code prefix} and 16 characters of a hash of what the chain is for, as kube-proxy names its chains. */
    static String chain(String prefix, String what, Protocol protocol) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((what + "/" + protocol.lower()).getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder sb = new StringBuilder(prefix);
            for (int i = 0; i < 16; i++) {
                sb.append(alphabet.charAt((h[i] & 0xff) % 32));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
