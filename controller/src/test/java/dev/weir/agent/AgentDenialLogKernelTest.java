package dev.weir.agent;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.explain.DecisionJson;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.nflog.NflogSocket;
import dev.weir.iptables.sys.LibC;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The denied-traffic log end to end on a real kernel: the real agent (renderer, applier, NFLOG reader) programs a
 * throwaway node namespace ({@code wdn-} prefix) from the mock API server; three pod namespaces hang off it on routed
 * /32 veths (canal's shape). A TCP SYN the node drops becomes a record whose decision is, field for field, the one
 * {@link Reachability} (what {@code weir explain} prints) gives for that cell; an allowed connection makes none. A
 * group held by another socket leaves enforcement alone, says so, and is bound once free. Root only; every namespace
 * is deleted in {@link #tearDown}, also on failure.
 */
class AgentDenialLogKernelTest {

    private static final String WEB = "10.249.0.3";
    private static final String DB = "10.249.0.2";
    private static final String OTHER = "10.249.0.4";
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final List<String> namespaces = new ArrayList<>();
    private final List<NetworkNamespace> opened = new ArrayList<>();
    private final List<HasMetadata> objects = new ArrayList<>();
    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private NetworkNamespace node;
    private NodeAgent agent;
    @TempDir
    private Path dir;

    @BeforeEach
    void wire() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/ns")), "kernel tests need Linux network namespaces");
        assumeTrue(LibC.get().getuid() == 0, "kernel tests need root (they create network namespaces)");
        assumeTrue(onPath("ipset") && onPath("iptables-nft-restore"), "kernel tests need ipset and iptables-nft");
        String n = create("node");
        wirePod(n, create("web"), "vw", WEB, "10.249.3.1");
        wirePod(n, create("db"), "vd", DB, "10.249.2.1");
        wirePod(n, create("other"), "vo", OTHER, "10.249.4.1");
        node = open(n);
        ip("netns", "exec", n, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        cluster = new MockCluster();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            Closing.inOrder(agent, agentClient, kube, cluster);
        } finally {
            opened.forEach(NetworkNamespace::close);
            for (String name : namespaces) {
                sh("ip", "netns", "delete", name);
            }
        }
    }

    /** dev/web (app=web) admits dev/db (app=db) on TCP 80; dev/other is nobody's peer. All three on n1. */
    private void webAdmitsDbOnly() {
        create(namespace("dev"));
        create(pod("dev", "web", WEB, "n1", "app", "web"));
        create(pod("dev", "db", DB, "n1", "app", "db"));
        create(pod("dev", "other", OTHER, "n1", "app", "other"));
        create(allowFrom("dev", "web-from-db", "web", "db"));
    }

    private void create(HasMetadata o) {
        kube.resource(o).create();
        objects.add(o);
    }

    private Path startAgent(DenialLogSettings denialLog) throws Exception {
        Path records = dir.resolve("denials.jsonl");
        AgentConfig config = AgentConfig.defaults("n1").withHttpPort(-1).withNetns(namespaces.get(0))
                .withIntervals(Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMinutes(1))
                .withDenialLog(denialLog.withFile(records));
        agent = NodeAgent.start(config, agentClient, node);
        await(() -> agent.health().ready(), Duration.ofSeconds(20), "the agent applies its first ruleset");
        return records;
    }

    @Test
    void aDroppedPacketIsRecordedWithTheDecisionExplainGivesAndAnAllowedOneIsNot() throws Exception {
        webAdmitsDbOnly();
        Path records = startAgent(DenialLogSettings.defaults());
        await(() -> agent.denialReader().map(s -> s.state() == NflogReader.State.BOUND).orElse(false),
                Duration.ofSeconds(5), "the reader binds group 1047 in the node namespace");

        connect("db", WEB, 80);
        Thread.sleep(1500); // a record would be out within 250 ms
        assertThat(lines(records)).as("an allowed connection is not a denial").isEmpty();

        connect("other", WEB, 80);
        await(() -> !lines(records).isEmpty(), Duration.ofSeconds(3), "the dropped SYN is recorded");

        JsonNode record = JSON.readTree(lines(records).get(0));
        assertThat(record.path("node").asString()).isEqualTo("n1");
        assertThat(record.path("src").path("pod").asString()).isEqualTo("dev/other");
        assertThat(record.path("src").path("ip").asString()).isEqualTo(OTHER);
        assertThat(record.path("dst").path("pod").asString()).isEqualTo("dev/web");
        assertThat(record.path("protocol").asString()).isEqualTo("TCP");
        assertThat(record.path("port").asInt()).isEqualTo(80);
        assertThat(record.path("count").asLong()).isPositive();
        Decision explained = denyingSide("dev/other", "dev/web", 80);
        assertThat(explained.cause()).isEqualTo(Decision.Cause.DEFAULT_DENY);
        assertThat(record.path("decision")).isEqualTo(DecisionJson.toNode(explained));
        assertThat(agent.metrics().deniedPackets.labelValues("dev", "dev/web-from-db", "ingress").get())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aClusterPolicyDenyIsRecordedNamingItsRule() throws Exception {
        cluster.serveClusterNetworkPolicies();
        webAdmitsDbOnly();
        create(Serialization.unmarshal("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata:
                  name: fence-web
                spec:
                  tier: Admin
                  priority: 10
                  subject:
                    namespaces: {}
                  egress:
                  - name: allow-dns
                    action: Accept
                    to:
                    - networks: [10.96.0.10/32]
                  - name: no-db-to-web
                    action: Deny
                    to:
                    - networks: [%s/32]
                """.formatted(WEB), ClusterNetworkPolicy.class));
        Path records = startAgent(DenialLogSettings.defaults());
        await(() -> agent.denialReader().map(s -> s.state() == NflogReader.State.BOUND).orElse(false),
                Duration.ofSeconds(5), "the reader binds");

        connect("db", WEB, 80);
        await(() -> !lines(records).isEmpty(), Duration.ofSeconds(3), "the dropped SYN is recorded");

        JsonNode record = JSON.readTree(lines(records).get(0));
        Decision explained = denyingSide("dev/db", "dev/web", 80);
        assertThat(record.path("decision")).isEqualTo(DecisionJson.toNode(explained));
        assertThat(record.path("decision").path("rule").path("name").asString()).isEqualTo("no-db-to-web");
        assertThat(record.path("decision").path("rule").path("index").asInt()).isEqualTo(1);
    }

    @Test
    void aGroupHeldByAnotherSocketLeavesEnforcementAloneIsAClearErrorAndIsBoundOnceFree() throws Exception {
        webAdmitsDbOnly();
        NflogSocket holder = node.call(() -> NflogSocket.open(NflogConfig.of(DenialLogSettings.DEFAULT_GROUP)));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the test log config writes here
        Path records;
        try {
            records = startAgent(DenialLogSettings.defaults());
            await(() -> captured.toString(StandardCharsets.UTF_8).contains("denied-traffic log is not recording"),
                    Duration.ofSeconds(5), "the agent says the log is not recording");
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("ERROR DenialLog [n1] node n1: the "
                + "denied-traffic log is not recording: cannot bind: NFLOG group 1047 is already bound by another "
                + "netlink socket");
        assertThat(agent.health().ready()).as("readiness does not depend on the log").isTrue();
        assertThat(agent.denialReader().orElseThrow().state()).isEqualTo(NflogReader.State.RETRYING);
        assertThat(connect("other", WEB, 80)).as("policy is enforced meanwhile").isFalse();

        holder.close();
        await(() -> agent.denialReader().orElseThrow().state() == NflogReader.State.BOUND, Duration.ofSeconds(35),
                "the reader binds at its next try");
        connect("other", WEB, 80);
        await(() -> !lines(records).isEmpty(), Duration.ofSeconds(3), "the dropped SYN is recorded");
    }

    /** The side of the cell {@code from → to} on TCP {@code port} that explain says denies it. */
    private Decision denyingSide(String from, String to, int port) {
        List<ClusterObject> model = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Namespace ns) {
                ModelTranslator.namespace(ns).value().ifPresent(model::add);
            } else if (o instanceof Pod p) {
                ModelTranslator.pod(p).value().ifPresent(model::add);
            } else if (o instanceof NetworkPolicy np) {
                ModelTranslator.networkPolicy(np).value().ifPresent(model::add);
            } else if (o instanceof ClusterNetworkPolicy cnp) {
                ClusterPolicyTranslator.translate(cnp).value().ifPresent(model::add);
            }
        }
        Verdict v = new Reachability(PolicyCompiler.compile(ClusterSnapshot.of(model)))
                .evaluate(from, to, port, Protocol.TCP);
        assertThat(v.allowed()).as("explain denies %s -> %s", from, to).isFalse();
        return v.decisions().stream().filter(d -> !d.allows()).findFirst().orElseThrow();
    }

    /** A TCP connect from a pod's namespace; true when it was answered (accepted or refused), false on timeout. */
    private boolean connect(String pod, String address, int port) throws Exception {
        NetworkNamespace ns = open(name(pod));
        return ns.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 400);
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // refused: a RST came back
            }
        });
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what + "; agent health " + agent.health()
                        + ", reader " + agent.denialReader());
            }
            Thread.sleep(20);
        }
    }

    private String name(String role) {
        return "wdn-" + id + "-" + role;
    }

    private String create(String role) {
        String name = name(role);
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    private NetworkNamespace open(String name) {
        NetworkNamespace ns = NetworkNamespace.named(name);
        opened.add(ns);
        return ns;
    }

    /** {@code pod} on a routed /32 veth off {@code node}, routing everything through {@code gateway}. */
    private void wirePod(String node, String pod, String hostIf, String podIp, String gateway) {
        ip("-n", node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", pod);
        ip("-n", node, "addr", "add", gateway + "/32", "dev", hostIf);
        ip("-n", node, "link", "set", hostIf, "up");
        ip("-n", node, "route", "add", podIp + "/32", "dev", hostIf);
        ip("-n", pod, "addr", "add", podIp + "/32", "dev", "eth0");
        ip("-n", pod, "link", "set", "eth0", "up");
        ip("-n", pod, "route", "add", gateway + "/32", "dev", "eth0");
        ip("-n", pod, "route", "add", "default", "via", gateway, "dev", "eth0");
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        String out = sh(argv.toArray(String[]::new));
        if (out == null) {
            throw new AssertionError("failed: " + String.join(" ", argv));
        }
    }

    /** Runs a host command; its output, or null when it failed. */
    private static String sh(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }
}
