package dev.weir.lab.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.LabFixture;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13's node traffic with real packets, on a 2-node lab with in-process agents whose nodes carry flannel's own
 * rules: pods {@code x/a}, {@code y/a} on node 1, {@code x/b}, {@code y/b} on node 2, and the hostNetwork pods
 * {@code host/h1} (node 1) and {@code host/h2} (node 2), which live in their nodes' namespaces and have their nodes'
 * addresses. Every pod serves 80/TCP and 80/UDP. Each test applies policies, waits until every cell of the packets'
 * table agrees with explain's (judging each packet by the source address it carries, {@code PacketSources}), and then
 * checks the cells the issue names against verdicts written here. One subclass per topology and backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LabNodeTrafficContract {

    static final List<String> PODS = List.of("x/a", "x/b", "y/a", "y/b", "host/h1", "host/h2");
    static final List<PortProtocol> TARGETS = List.of(new PortProtocol(80, Protocol.TCP),
            new PortProtocol(80, Protocol.UDP));
    static final PortProtocol TCP80 = TARGETS.get(0);
    private static final Duration CONVERGE = Duration.ofSeconds(15);

    /** {@code flannel} or {@code canal}. */
    abstract String topology();

    /** {@code vxlan} or {@code host-gw}. */
    abstract String backend();

    abstract int agentHttpBase();

    boolean vxlan() {
        return backend().equals("vxlan");
    }

    Path stateDir;
    LabFixture lab;
    LabState state;
    LabPlan plan;
    KubernetesClient client;
    Prober prober;

    @BeforeAll
    void up() throws Exception {
        LabFixture.assumeLabCanRun();
        stateDir = Files.createTempDirectory("weir-lab-nodes");
        lab = new LabFixture(stateDir);
        Path cluster = Files.writeString(stateDir.resolve("cluster.yaml"), CLUSTER);
        state = lab.up("--nodes", "2", "--topology", topology(), "--backend", backend(), "--agents", "in-process",
                "--agent-http-base", String.valueOf(agentHttpBase()), "-f", cluster.toString());
        plan = state.plan();
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(state.kubeconfig())))).build();
        prober = new Prober(plan, 24, Duration.ofMillis(400), 2);
        lab.awaitAgentsReady();
    }

    @AfterAll
    void down() {
        if (prober != null) {
            prober.close();
        }
        if (client != null) {
            client.close();
        }
        if (lab != null) {
            LabFixture.Run r = lab.down();
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(LabFixture.leftoverNetns()).isEmpty();
        }
    }

    @AfterEach
    void deletePolicies() throws Exception {
        if (client == null) {
            return;
        }
        client.network().v1().networkPolicies().inAnyNamespace().list().getItems()
                .forEach(p -> client.resource(p).delete());
        client.resources(dev.weir.crd.ClusterNetworkPolicy.class).list().getItems()
                .forEach(p -> client.resource(p).delete());
        settled(); // back to all allowed before the next test
    }

    @Test
    @Order(1)
    void hostNetworkPodsServeFromTheirNodesAndEveryNodeCarriesFlannelsRulesBehindWeirsJump() throws Exception {
        TruthTable probed = settled();
        assertThat(probed.entries()).allSatisfy(e -> assertThat(e.cell().allowed()).as("%s -> %s %s", e.from(),
                e.to(), e.target()).isTrue());
        // the hostNetwork pods answer on their node's address, from inside the node's namespace
        assertThat(answer(plan.nodes().get(0), "192.168.222.11")).isEqualTo("host/h1");
        assertThat(plan.pod("host/h2").orElseThrow().ip()).isEqualTo("192.168.222.12");
        String n2 = LabFixture.PREFIX + "n2";
        assertThat(lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString())).output())
                .contains("host/h2\t192.168.222.12\t" + n2 + "\t" + n2 + " (hostNetwork)\t80/TCP,80/UDP");
        assertThat(client.pods().inNamespace("host").withName("h2").get()).satisfies(p -> {
            assertThat(p.getSpec().getHostNetwork()).isTrue();
            assertThat(p.getStatus().getPodIP()).isEqualTo("192.168.222.12");
        });

        for (LabPlan.NodePlan n : plan.nodes()) {
            // connections are tracked before any policy (weir's ruleset then has no conntrack rule of its own)
            String tracked = LabFixture.sh("ip", "netns", "exec", n.netns(), "conntrack", "-L", "-p", "tcp",
                    "--dport", "80");
            assertThat(tracked).as("%s conntrack", n.name()).contains("dport=80");
            List<String> forward = chain(n, "filter", "FORWARD");
            assertThat(forward).as("%s FORWARD", n.name()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(forward.get(0)).as("weir's jump first").contains("-j WEIR-FORWARD");
            assertThat(forward).anySatisfy(r -> assertThat(r).contains("-j FLANNEL-FWD"));
            assertThat(chain(n, "filter", "FLANNEL-FWD")).hasSize(2);
            assertThat(chain(n, "nat", "POSTROUTING")).anySatisfy(r -> assertThat(r).contains("-j FLANNEL-POSTRTG"));
        }

        // the CLI's comparison judges the same way
        LabFixture.Run compare = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports",
                "80", "--protocols", "tcp", "--timeout", "400ms", "--compare"));
        assertThat(compare.code()).as(compare.output()).isZero();
    }

    @Test
    @Order(2)
    void aNodeReachesItsOwnIsolatedPodsUnderDenyAllWhileOtherNodesAndPodsCannot() throws Exception {
        apply("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: x}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """);
        TruthTable probed = settled();

        // kubelet-style: each node to its own x pod, TCP, answered although ingress and egress are denied
        // (the answer goes back through the pod's egress as an established connection)
        for (LabPlan.NodePlan n : plan.nodes()) {
            for (LabPlan.PodPlan p : plan.podsOn(n.name())) {
                if (p.namespace().equals("x")) {
                    assertThat(answer(n, p.ip())).as("%s -> %s:80", n.name(), p.key()).isEqualTo(p.key());
                }
            }
        }
        assertThat(allowed(probed, "host/h1", "x/a")).isTrue();
        assertThat(allowed(probed, "host/h2", "x/b")).isTrue();
        // another node's traffic is judged as any other source: denied
        assertThat(allowed(probed, "host/h2", "x/a")).isFalse();
        assertThat(allowed(probed, "host/h1", "x/b")).isFalse();
        // the isolated pods reach no node, their own included
        assertThat(allowed(probed, "x/a", "host/h1")).isFalse();
        assertThat(allowed(probed, "x/a", "host/h2")).isFalse();
        assertThat(allowed(probed, "y/a", "host/h1")).isTrue();
    }

    @Test
    @Order(3)
    void anIpBlockOfTheNodesUnderlayAddressesSeesAnotherNodesTrafficOnlyWhereItKeepsThatAddress() throws Exception {
        apply(ipBlockPolicy(List.of("192.168.222.0/24")));
        TruthTable probed = settled();

        assertThat(allowed(probed, "host/h1", "y/a")).as("a pod's own node").isTrue();
        assertThat(allowed(probed, "x/a", "y/a")).as("a pod is not in the underlay").isFalse();
        // over VXLAN host/h2's packet to y/a (node 1) leaves from flannel.1's 10.244.2.0, which the block misses
        assertThat(allowed(probed, "host/h2", "y/a")).isEqualTo(!vxlan());
        assertThat(allowed(probed, "host/h1", "y/b")).isEqualTo(!vxlan());
        // weir explain asked about the pod judges its IP, the node's address, and allows it on every backend
        TruthTable byPod = LabExplain.table(client, PODS, List.of(TCP80), d -> {
        });
        assertThat(byPod.cell("host/h2", "y/a", TCP80).orElseThrow().allowed()).isTrue();
        // every dropped cell, the hostNetwork pods' included, has its denial record with explain's decision
        LabFixture.Run denials = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports",
                "80", "--protocols", "tcp", "--timeout", "400ms", "--denials"));
        assertThat(denials.code()).as(denials.output()).isZero();
        assertThat(denials.output()).contains("0 without a record, 0 recorded otherwise");

        // with the nodes' flannel.1 addresses in the policy too, every node reaches y over every backend
        apply(ipBlockPolicy(List.of("192.168.222.0/24", "10.244.1.0/32", "10.244.2.0/32")));
        probed = settled();
        assertThat(allowed(probed, "host/h2", "y/a")).isTrue();
        assertThat(allowed(probed, "host/h1", "y/b")).isTrue();
        assertThat(allowed(probed, "x/a", "y/a")).isFalse();
    }

    @Test
    @Order(4)
    void anAdminDenyToNodesStopsPodsReachingAnyNodeTheirOwnIncluded() throws Exception {
        LabFixture.Run r = lab.weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f",
                Files.writeString(stateDir.resolve("cnp.yaml"), """
                        apiVersion: policy.networking.k8s.io/v1alpha2
                        kind: ClusterNetworkPolicy
                        metadata: {name: y-not-to-nodes}
                        spec:
                          tier: Admin
                          priority: 10
                          subject: {namespaces: {matchLabels: {ns: "y"}}}
                          egress:
                          - {name: no-nodes, action: Deny, to: [{nodes: {}}]}
                        """).toString()));
        assertThat(r.code()).as(r.output()).isZero();
        TruthTable probed = settled();

        assertThat(allowed(probed, "y/a", "host/h1")).as("to its own node (INPUT)").isFalse();
        assertThat(allowed(probed, "y/a", "host/h2")).as("to another node (FORWARD)").isFalse();
        assertThat(allowed(probed, "y/b", "host/h1")).isFalse();
        assertThat(allowed(probed, "y/a", "x/b")).as("pods stay reachable").isTrue();
        assertThat(allowed(probed, "x/a", "host/h2")).as("x is no subject").isTrue();
        // nodes still reach the pods of y (a nodes peer here is egress only)
        assertThat(allowed(probed, "host/h1", "y/a")).isTrue();
        assertThat(allowed(probed, "host/h2", "y/a")).isTrue();
    }

    static String ipBlockPolicy(List<String> cidrs) {
        StringBuilder from = new StringBuilder();
        cidrs.forEach(c -> from.append("    - ipBlock: {cidr: ").append(c).append("}\n"));
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-nodes, namespace: "y"}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                  - from:
                """ + from;
    }

    void apply(String yaml) throws IOException {
        lab.apply("policy.yaml", yaml);
    }

    static boolean allowed(TruthTable t, String from, String to) {
        return t.cell(from, to, TCP80).orElseThrow().allowed();
    }

    /** Probes until every cell agrees with explain (as the packets are sent) or {@link #CONVERGE} passes. */
    TruthTable settled() throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            List<dev.weir.lab.probe.ProbeResult> results = new ArrayList<>();
            for (PortProtocol t : TARGETS) {
                results.addAll(prober.probeAmong(PODS, t.port(), t.protocol()));
            }
            TruthTable probed = ProbeTable.of(PODS, results);
            TruthTable explained = LabExplain.table(client, plan, PODS, TARGETS, d -> {
            });
            List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
            if (diff.isEmpty()) {
                return probed;
            }
            assertThat(System.nanoTime()).as("packets agree with explain within %s s:%n%s", CONVERGE.toSeconds(),
                    TruthTableDiff.render(diff)).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** A TCP connection from node {@code n}'s own namespace (as the kubelet opens one) to {@code ip}:80. */
    static String answer(LabPlan.NodePlan n, String ip) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.named(n.netns())) {
            return ns.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip, 80), 1000);
                    s.setSoTimeout(1000);
                    InputStream in = s.getInputStream();
                    return new String(in.readNBytes(64), StandardCharsets.UTF_8).strip();
                } catch (SocketTimeoutException e) {
                    return "timed out";
                } catch (IOException e) {
                    return "failed: " + e.getMessage();
                }
            });
        }
    }

    /** The rules of one chain in node {@code n}, as {@code iptables-save} prints them. */
    static List<String> chain(LabPlan.NodePlan n, String table, String chain) throws Exception {
        return LabFixture.sh("ip", "netns", "exec", n.netns(), "iptables-save", "-t", table).lines()
                .filter(l -> l.startsWith("-A " + chain + " ")).toList();
    }

    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x, labels: {ns: x}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: "y", labels: {ns: "y"}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: host, labels: {ns: host}}
            """ + pod("x", "a", 1, false) + pod("x", "b", 2, false) + pod("y", "a", 1, false)
            + pod("y", "b", 2, false) + pod("host", "h1", 1, true) + pod("host", "h2", 2, true);

    static String pod(String ns, String name, int node, boolean hostNetwork) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: "%s", labels: {pod: %s}}
                spec:
                  nodeName: n%d
                  hostNetwork: %s
                  containers:
                  - name: serve
                    image: agnhost
                    ports: [{name: serve-80-tcp, containerPort: 80}, {name: serve-80-udp, containerPort: 80, protocol: UDP}]
                """.formatted(name, ns, name, node, hostNetwork);
    }
}
