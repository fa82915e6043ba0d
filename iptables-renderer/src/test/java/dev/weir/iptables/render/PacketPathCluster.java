package dev.weir.iptables.render;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Ids;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster of the packet-path benchmark (issue 14): a client on node {@code n1} connects to a server on node
 * {@code n2}, which runs {@code localPods} pods (110, Kubernetes' limit) that {@code policies} NetworkPolicies (5,000)
 * select for ingress. The server is selected by {@code selecting} (50) of them and only the last in evaluation order
 * (key order) admits the client, so a new connection walks every one of the server's policy chains before it is
 * allowed: the worst case for a rule walk. The other policies select the other local pods, about 45 each.
 *
 * <ul>
 * <li>local pods {@code t<i/10>/p<i>}, {@code app=a<i>}, at {@code 10.248.2.<10+i>} on routed interfaces named as
 * Calico names them ({@code cali} and 11 hex); pod 0 is the server, {@code t0/p0}, TCP {@link #PORT};</li>
 * <li>{@code clients/client} at {@link #CLIENT} on {@code n1}, namespace labelled {@code team=clients};</li>
 * <li>1,000 pods on 20 other nodes in 20 namespaces labelled {@code team=team<k>}, so the peer sets have members;</li>
 * <li>every namespace of the local pods has a default deny; the other policies come in four shapes in turn: pods of
 * the policy's namespace on {@link #PORT}; a {@code team} namespace's pods of one app on {@link #PORT} and 8443;
 * an ipBlock {@code 172.16.<k>.0/24} on {@link #PORT}; a {@code team} namespace on 9090–9100. None admits the
 * client except {@code t0/zz-clients}.</li>
 * </ul>
 *
 * <p>{@link #withoutPolicies()} is the same cluster with no policy at all: the baseline of the comparison.
 */
public final class PacketPathCluster {

    public static final String CLIENT_NODE = "n1";
    public static final String SERVER_NODE = "n2";
    public static final String CLIENT = "10.248.1.10";
    public static final String SERVER = "10.248.2.10";
    public static final int PORT = 8080;
    /** Where the benchmark's bulk stream goes; the client's policy admits it too. */
    public static final int STREAM_PORT = 5001;
    public static final ObjectKey CLIENT_KEY = ObjectKey.pod("clients", "client");
    public static final ObjectKey SERVER_KEY = ObjectKey.pod("t0", "p0");

    private final int policies;
    private final int localPods;
    private final int selecting;

    public PacketPathCluster(int policies, int localPods, int selecting) {
        if (localPods < 2 || localPods > 240 || selecting < 1 || policies < selecting + localPods / 10 + 1) {
            throw new IllegalArgumentException("policies " + policies + ", local pods " + localPods + ", selecting "
                    + selecting);
        }
        this.policies = policies;
        this.localPods = localPods;
        this.selecting = selecting;
    }

    /** 5,000 policies, 110 local pods, the server selected by 50. */
    public static PacketPathCluster issue14() {
        return new PacketPathCluster(5000, 110, 50);
    }

    public int policies() {
        return policies;
    }

    public int localPods() {
        return localPods;
    }

    public int selecting() {
        return selecting;
    }

    public PolicyGraph graph() {
        return PolicyCompiler.compile(snapshot(true));
    }

    public PolicyGraph withoutPolicies() {
        return PolicyCompiler.compile(snapshot(false));
    }

    /** Each local pod's host-side interface, as the agent finds them; the client's on its node. */
    public LocalNetwork localNetwork(String node) {
        Map<ObjectKey, PodInterface> interfaces = new TreeMap<>();
        if (node.equals(CLIENT_NODE)) {
            interfaces.put(CLIENT_KEY, PodInterface.routed(interfaceOf(CLIENT_KEY)));
        } else {
            for (int i = 0; i < localPods; i++) {
                ObjectKey key = local(i);
                interfaces.put(key, PodInterface.routed(interfaceOf(key)));
            }
        }
        return new LocalNetwork(interfaces, List.of(), false);
    }

    /** Calico's naming: {@code cali} and the first 11 hex of a hash of the pod. */
    public static String interfaceOf(ObjectKey pod) {
        return "cali" + Ids.hex(pod.namespacedName()).substring(0, 11);
    }

    public static String localAddress(int i) {
        return "10.248.2." + (10 + i);
    }

    private static ObjectKey local(int i) {
        return ObjectKey.pod("t" + i / 10, "p" + i);
    }

    private ClusterSnapshot snapshot(boolean withPolicies) {
        List<Namespace> namespaces = new ArrayList<>();
        List<Endpoint> pods = new ArrayList<>();
        int localNamespaces = (localPods + 9) / 10;
        for (int n = 0; n < localNamespaces; n++) {
            namespaces.add(new Namespace("t" + n, Map.of("team", "local" + n)));
        }
        for (int i = 0; i < localPods; i++) {
            ObjectKey key = local(i);
            pods.add(pod(key.namespace(), key.name(), "a" + i, localAddress(i), SERVER_NODE));
        }
        namespaces.add(new Namespace("clients", Map.of("team", "clients")));
        pods.add(pod("clients", "client", "client", CLIENT, CLIENT_NODE));
        for (int k = 0; k < 20; k++) {
            namespaces.add(new Namespace("remote" + k, Map.of("team", "team" + k)));
        }
        for (int j = 0; j < 1000; j++) {
            pods.add(pod("remote" + j % 20, "r" + j, "r" + j % 25, "10.249." + j / 200 + "." + (10 + j % 200),
                    "n" + (3 + j % 20)));
        }
        List<NetworkPolicy> out = new ArrayList<>();
        if (withPolicies) {
            for (int n = 0; n < localNamespaces; n++) {
                out.add(new NetworkPolicy("t" + n, "default-deny", LabelSelector.all(), List.of(PolicyType.INGRESS),
                        List.of(), List.of()));
            }
            // the server's: selecting - 1 that admit others, then the one that admits the client, last in key order
            for (int j = 0; j < selecting - 1; j++) {
                out.add(shaped("t0", String.format("p-%04d", j), "a0", j));
            }
            out.add(new NetworkPolicy("t0", "zz-clients", LabelSelector.matchLabel("app", "a0"),
                    List.of(PolicyType.INGRESS), List.of(new Rule(List.of(new Peer.Pods(
                            LabelSelector.matchLabel("team", "clients"), LabelSelector.matchLabel("app", "client"))),
                            List.of(tcp(PORT), tcp(STREAM_PORT)))), List.of()));
            int rest = policies - out.size();
            for (int j = 0; j < rest; j++) {
                int i = 1 + j % (localPods - 1);
                ObjectKey key = local(i);
                out.add(shaped(key.namespace(), String.format("p-%04d", j), "a" + i, j));
            }
        }
        return new ClusterSnapshot(namespaces, pods, out, List.of());
    }

    /** One of four shapes, by {@code j}; none admits the client. */
    private static NetworkPolicy shaped(String namespace, String name, String app, int j) {
        LabelSelector subject = LabelSelector.matchLabel("app", app);
        LabelSelector team = LabelSelector.matchLabel("team", "team" + j % 20);
        Rule rule = switch (j % 4) {
            case 0 -> new Rule(List.of(Peer.Pods.inPolicyNamespace(LabelSelector.matchLabel("app", "a" + (j + 1) % 7))),
                    List.of(tcp(PORT)));
            case 1 -> new Rule(List.of(new Peer.Pods(team, LabelSelector.matchLabel("app", "r" + j % 25))),
                    List.of(tcp(PORT), tcp(8443)));
            case 2 -> new Rule(List.of(new Peer.IpBlock(Cidr.parse("172.16." + j % 256 + ".0/24"), List.of())),
                    List.of(tcp(PORT)));
            default -> new Rule(List.of(new Peer.Pods(team, LabelSelector.all())),
                    List.of(new PortMatch.Range(Protocol.TCP, 9090, 9100)));
        };
        return new NetworkPolicy(namespace, name, subject, List.of(PolicyType.INGRESS), List.of(rule), List.of());
    }

    private static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }

    private static Endpoint pod(String namespace, String name, String app, String ip, String node) {
        return new Endpoint(namespace, name, Map.of("app", app), List.of(IpAddress.parse(ip)), node, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }
}
