package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services on real packets (docs/lab.md, "Services"): a 2-node lab of {@code services/cluster.yaml} (x/b on node 1 and
 * x/c on node 2 behind a NodePort Service with {@code externalTrafficPolicy: Cluster}, one with {@code Local} and a
 * ClusterIP one; clients x/a on node 1 and y/d on node 2, and the client outside the cluster on the underlay), the
 * lab's kube-proxy rules in every node and real agents. Each step probes the Services with {@code weir lab probe --to
 * svc/NS/NAME --compare}, which must agree with explain cell by cell, and holds the probed table to the one written
 * out here: pod to Service to pod on the same and the other node, the hairpin, a node port masqueraded when forwarded
 * to the other node (to flannel.1's address with VXLAN, to the node's own with host-gw) and a Local one keeping the
 * client's address, endpoints following a pod's labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LabServicesContract {

    /** {@code --topology} and {@code --backend}. */
    abstract String[] shape();

    /** The agents' HTTP base port, inside the range of these suites (20300-20399). */
    abstract int httpBase();

    /** Whether a packet masqueraded by one node reaches the other from an underlay address (host-gw). */
    abstract boolean masqueradesToUnderlay();

    Path stateDir;
    LabFixture lab;

    @BeforeAll
    void up(@TempDir Path dir) throws Exception {
        LabFixture.assumeLabCanRun();
        stateDir = dir;
        lab = new LabFixture(stateDir);
        List<String> args = new ArrayList<>(List.of("--nodes", "2", "-f", resource("cluster.yaml"), "--agents",
                "in-process", "--agent-http-base", String.valueOf(httpBase())));
        args.addAll(List.of(shape()));
        lab.up(args.toArray(String[]::new));
        lab.awaitAgentsReady();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.down();
            assertThat(LabFixture.leftoverNetns()).as("lab namespaces left").isEmpty();
        }
    }

    static String resource(String name) throws URISyntaxException {
        return Path.of(LabServicesContract.class.getResource("services/" + name).toURI()).toString();
    }

    private static final String ALL_PODS_ALL = """
            -\tx/b\tx/c
            x/a\t.\t.
            x/b\t.\t.
            x/c\t.\t.
            y/d\t.\t.""";

    @Test
    @Order(1)
    void withoutPolicyEveryClientReachesEveryEndpointItsRoutesAllow() throws Exception {
        Map<PortProtocol, String> web = probe("svc/x/web");
        assertThat(web.get(PortProtocol.tcp(80))).isEqualTo(ALL_PODS_ALL);
        assertThat(web.get(new PortProtocol(81, dev.weir.model.Protocol.UDP))).isEqualTo(ALL_PODS_ALL);
        assertThat(web.get(PortProtocol.tcp(30080))).isEqualTo(nodePortRows(". .", ". ."));
        assertThat(web.get(new PortProtocol(30081, dev.weir.model.Protocol.UDP)))
                .isEqualTo(nodePortRows(". .", ". ."));
        // Local: each node's own endpoint only (no cell for the other node's)
        assertThat(probe("svc/x/web-local").get(PortProtocol.tcp(30082))).isEqualTo(nodePortRows(". ?", "? ."));
        assertThat(probe("svc/x/web-internal").get(PortProtocol.tcp(8000))).isEqualTo(ALL_PODS_ALL);
    }

    @Test
    @Order(2)
    void aPolicyOnTheEndpointsDecidesAfterTheDnatHairpinAndMasqueradeIncluded() throws Exception {
        apply("web-from-a-and-underlay.yaml");
        String onlyA = """
                -\tx/b\tx/c
                x/a\t.\t.
                x/b\tX\tX
                x/c\tX\tX
                y/d\tX\tX""";
        Map<PortProtocol, String> web = probe("svc/x/web");
        assertThat(web.get(PortProtocol.tcp(80))).as("x/b's own Service sends it back to itself: denied")
                .isEqualTo(onlyA);
        assertThat(web.get(new PortProtocol(81, dev.weir.model.Protocol.UDP))).isEqualTo(onlyA);
        String crossNode = masqueradesToUnderlay() ? ". ." : ". X";
        String crossNode2 = masqueradesToUnderlay() ? ". ." : "X .";
        assertThat(web.get(PortProtocol.tcp(30080))).as("forwarded to the other node: masqueraded")
                .isEqualTo(nodePortRows(crossNode, crossNode2));
        assertThat(web.get(new PortProtocol(30081, dev.weir.model.Protocol.UDP)))
                .isEqualTo(nodePortRows(crossNode, crossNode2));
        assertThat(probe("svc/x/web-local").get(PortProtocol.tcp(30082))).as("Local keeps the client's address")
                .isEqualTo(nodePortRows(". ?", "? ."));
    }

    @Test
    @Order(3)
    void aRuleAdmittingThePodItselfAllowsTheHairpin() throws Exception {
        apply("web-from-web.yaml");
        String webAndA = """
                -\tx/b\tx/c
                x/a\t.\t.
                x/b\t.\t.
                x/c\t.\t.
                y/d\tX\tX""";
        Map<PortProtocol, String> web = probe("svc/x/web-internal");
        assertThat(web.get(PortProtocol.tcp(8000))).isEqualTo(webAndA);
    }

    @Test
    @Order(4)
    void endpointsFollowThePodsLabels() throws Exception {
        LabFixture.Run r = lab.weir(List.of("lab", "label", "--state-dir", stateDir.toString(), "pod", "c", "-n",
                "x", "app=off"));
        assertThat(r.code()).as(r.output()).isZero();
        Map<PortProtocol, String> web = probe("svc/x/web", "--protocols", "tcp");
        assertThat(web.get(PortProtocol.tcp(80))).isEqualTo("""
                -\tx/b
                x/a\t.
                x/b\t.
                x/c\tX
                y/d\tX""");
        assertThat(web.get(PortProtocol.tcp(30080))).isEqualTo("-\tx/b\n"
                + LabPlanRows.client(lab, 1) + "\t.\n"
                + LabPlanRows.client(lab, 2) + "\t" + (masqueradesToUnderlay() ? "." : "X"));
    }

    @Test
    @Order(5)
    void weirsJumpsStayInFrontOfKubeProxysInEveryHook() throws Exception {
        for (var n : lab.state().plan().nodes()) {
            for (String hook : List.of("FORWARD", "INPUT", "OUTPUT")) {
                List<String> rules = LabFixture.sh("ip", "netns", "exec", n.netns(), "iptables", "-S", hook)
                        .lines().filter(l -> l.startsWith("-A ")).toList();
                assertThat(rules).as("%s %s", n.name(), hook).first()
                        .isEqualTo("-A " + hook + " -j WEIR-" + hook);
                assertThat(rules).as("%s %s: kube-proxy's jumps are there too", n.name(), hook)
                        .anyMatch(r -> r.contains("-j KUBE-"));
            }
        }
    }

    /** The two node port rows, cells given as "b c" with {@code .}, {@code X} or {@code ?}. */
    private String nodePortRows(String viaNode1, String viaNode2) {
        return "-\tx/b\tx/c\n" + LabPlanRows.client(lab, 1) + "\t" + viaNode1.replace(' ', '\t') + "\n"
                + LabPlanRows.client(lab, 2) + "\t" + viaNode2.replace(' ', '\t');
    }

    private void apply(String file) throws Exception {
        LabFixture.Run r = lab.weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f",
                resource(file)));
        assertThat(r.code()).as(r.output()).isZero();
    }

    /**
     * {@code weir lab probe --to SERVICE --compare -o json} until it agrees with explain (the agents apply
     * asynchronously; at most 20 s), then the probed table per target as {@link TruthTableText#renderPresent}
     * prints it without its title.
     */
    private Map<PortProtocol, String> probe(String service, String... extra) throws Exception {
        return probeService(lab, stateDir, service, extra);
    }

    /** {@link #probe} for any lab with Services (shared with {@code LabServiceHostNetworkTest}). */
    static Map<PortProtocol, String> probeService(LabFixture lab, Path stateDir, String service, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--to",
                service, "--compare", "-o", "json", "--timeout", "300ms"));
        args.addAll(List.of(extra));
        long deadline = System.nanoTime() + 20_000_000_000L;
        LabFixture.Run r;
        long t0 = System.nanoTime();
        int rounds = 0;
        do {
            r = lab.weir(args);
            rounds++;
        } while (r.code() != 0 && System.nanoTime() < deadline);
        System.out.printf("probe %s: %d ms, %d rounds%n", service, (System.nanoTime() - t0) / 1_000_000, rounds);
        assertThat(r.code()).as("packets agree with explain for %s: %s", service, r.output()).isZero();
        String json = r.output().substring(r.output().indexOf('{'));
        TruthTable probed = TruthTableJson.read(json);
        Map<PortProtocol, String> out = new java.util.HashMap<>();
        for (PortProtocol t : probed.targets()) {
            String text = TruthTableText.renderPresent(probed, t);
            out.put(t, text.substring(text.indexOf('\n') + 1));
        }
        return out;
    }

    /** How probe and explain name the client outside the cluster sending to node i's node port. */
    static final class LabPlanRows {
        static String client(LabFixture lab, int node) {
            return dev.weir.lab.topology.LabPlan.CLIENT_IP + " -> " + lab.state().plan().nodes().get(node - 1).name();
        }
    }
}
