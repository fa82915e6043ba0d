package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableJson;
import dev.weir.graph.Decision;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainCommandTest {

    private static CliRun run(String stdin, String... args) {
        return CliRun.weir(new ExplainCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))), args);
    }

    private static String examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/cluster.yaml"))) {
                return p.resolve("examples").toString();
            }
        }
        throw new IllegalStateException("no examples/");
    }

    private static final String TWO_PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {containers: [{name: c, ports: [{containerPort: 53, protocol: UDP}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {pod: b}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: only-b-to-a, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
            """;

    @Test
    void examplesDirectoryPrintsOneTablePerDeclaredPortAndExitsZero() {
        CliRun r = run("", examples());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Reachability 80/TCP").contains("Reachability 443/TCP")
                .contains("dev/myapp-1\t.\tX\tX\t.\t.\t.");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void defaultTargetsAreTheDeclaredPortsAndInventedAddressesAreAnnounced() {
        CliRun r = run(TWO_PODS, "-f", "-");
        assertThat(r.out()).startsWith("# note: pods without status.podIP were given addresses from 10.254.0.0/16")
                .contains("Reachability 53/UDP").doesNotContain("80/TCP");
        assertThat(r.out()).contains("-\tx/a\tx/b\nx/a\t.\t.\nx/b\t.\t.");
        assertThat(r.err()).contains("note: namespaces not given");
    }

    @Test
    void portsAndProtocolsFlagsChooseTheTables() {
        CliRun r = run(TWO_PODS, "-", "--ports", "80,81", "--protocols", "tcp,sctp");
        assertThat(r.out()).contains("80/TCP").contains("80/SCTP").contains("81/TCP").contains("81/SCTP")
                .doesNotContain("53/UDP");
    }

    @Test
    void portsAloneAreCrossedWithTheDeclaredProtocols() {
        assertThat(run(TWO_PODS, "-", "--ports", "80").out()).contains("Reachability 80/UDP").doesNotContain("TCP");
    }

    @Test
    void singlePairExplainsWhichPolicyIsolatesAndWhichRuleAllows() {
        CliRun denied = run(TWO_PODS, "-", "--from", "x/a", "--to", "x/a", "--port", "53", "--protocol", "udp");
        assertThat(denied.out()).startsWith("x/a -> x/a 53/UDP: allowed");
        CliRun allowed = run(TWO_PODS, "-", "--from", "x/b", "--to", "x/a", "--port", "53", "--protocol", "udp");
        assertThat(allowed.out()).startsWith("x/b -> x/a 53/UDP: allowed\n").contains("x/only-b-to-a ingress[0]");
        CliRun none = run(TWO_PODS, "-", "--from", "x/a", "--to", "x/b");
        assertThat(none.out()).isEqualTo("""
                x/a -> x/b 53/UDP: allowed
                  egress: x/a is not selected by any policy with egress rules: allowed
                  ingress: x/b is not selected by any policy with ingress rules: allowed
                """);
    }

    @Test
    void deniedPairNamesTheIsolatingPolicy() {
        String withC = TWO_PODS + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: c, namespace: x}
                """;
        CliRun r = run(withC, "-", "--from", "x/c", "--to", "x/a", "--port", "53", "--protocol", "UDP");
        assertThat(r.out()).startsWith("x/c -> x/a 53/UDP: denied\n")
                .contains("x/a is isolated by x/only-b-to-a and no rule allows it");
    }

    @Test
    void jsonOutputReadsBackAsTheSameTable() {
        CliRun r = run(TWO_PODS, "-", "-o", "json", "--ports", "80", "--protocols", "TCP");
        TruthTable t = TruthTableJson.read(r.out());
        assertThat(t.pods()).containsExactly("x/a", "x/b");
        assertThat(t.targets()).containsExactly(PortProtocol.tcp(80));
        assertThat(t.cell("x/a", "x/b", PortProtocol.tcp(80)).orElseThrow().allowed()).isTrue();
        assertThat(t.cell("x/a", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed()).isTrue();
        assertThat(r.out()).contains("\"notes\"").contains("10.254.0.1");
        assertThat(t.cell("x/a", "x/a", PortProtocol.tcp(80)).orElseThrow().decisions())
                .extracting(Decision::cause).containsExactly(Decision.Cause.EXEMPT, Decision.Cause.EXEMPT);
        assertThat(t.cell("x/b", "x/a", PortProtocol.tcp(80)).orElseThrow().decisions()).containsExactly(
                Decision.notIsolated(PolicyType.EGRESS),
                Decision.allowedByPolicies(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("x", "only-b-to-a"))));
    }

    /**
     * The whole JSON of one pair, pinned: each side's decision next to the reasons, with the fields a denial record
     * carries (an Admin Deny names the cluster-scoped policy without a namespace, its tier and its rule).
     */
    @Test
    void jsonOfOnePairPrintsEachSidesDecisionNextToTheReasons() {
        CliRun r = run("", examples() + "/cluster-network-policy", "--from", "blue/web", "--to", "cloud-metadata/imds",
                "--port", "80", "--protocols", "tcp", "-o", "json");
        assertThat(r.out()).isEqualTo("""
                {
                  "pods" : [ "blue/web", "cloud-metadata/imds" ],
                  "targets" : [ "80/TCP" ],
                  "notes" : [ ],
                  "verdicts" : [ {
                    "from" : "blue/web",
                    "to" : "cloud-metadata/imds",
                    "port" : 80,
                    "protocol" : "TCP",
                    "verdict" : "deny",
                    "reasons" : [ "egress: denied by ClusterNetworkPolicy deny-cloud-metadata egress[0] \\"deny-metadata-service\\" (Admin, priority 10)", "ingress: cloud-metadata/imds is not selected by any policy with ingress rules: allowed" ],
                    "decisions" : [ {
                      "direction" : "egress",
                      "outcome" : "deny",
                      "cause" : "cluster-policy-rule",
                      "tier" : "Admin",
                      "objects" : [ {
                        "kind" : "ClusterNetworkPolicy",
                        "name" : "deny-cloud-metadata"
                      } ],
                      "rule" : {
                        "index" : 0,
                        "name" : "deny-metadata-service"
                      }
                    }, {
                      "direction" : "ingress",
                      "outcome" : "allow",
                      "cause" : "not-isolated",
                      "tier" : null,
                      "objects" : [ ],
                      "rule" : null
                    } ]
                  } ]
                }
                """);
        TruthTable t = TruthTableJson.read(r.out());
        assertThat(t.cell("blue/web", "cloud-metadata/imds", PortProtocol.tcp(80)).orElseThrow().decisions())
                .hasSize(2);
    }

    @Test
    void rejectedObjectExitsOneButStillPrintsTheTable() {
        CliRun r = run(TWO_PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: x}
                spec: {podSelector: {}, ingress: [{ports: [{port: 0}]}]}
                """, "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("rejected: NetworkPolicy x/broken: spec.ingress[0].ports[0].port");
        assertThat(r.out()).contains("Reachability 53/UDP");
    }

    @Test
    void htmlOutputIsOnePageWithTheNotesAndTheRejectedObjectsInItsData() {
        CliRun r = run(TWO_PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: x}
                spec: {podSelector: {}, ingress: [{ports: [{port: 0}]}]}
                """, "-", "-o", "html");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .contains("<script type=\"application/json\" id=\"weir-data\">")
                .contains("\"rejected\":[\"NetworkPolicy x/broken: spec.ingress[0].ports[0].port")
                .contains("pods without status.podIP were given addresses")
                .contains("\"ingress: allowed by x/only-b-to-a ingress[0]\"");
        assertThat(r.err()).contains("rejected: NetworkPolicy x/broken");
    }

    @Test
    void htmlDrawsTheWholeTableNotOnePair() {
        CliRun r = run(TWO_PODS, "-", "-o", "html", "--from", "x/a", "--to", "x/b");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("-o html draws the whole table; leave out --from and --to");
    }

    @Test
    void usageMistakesExitTwo() {
        assertThat(run("").exit()).isEqualTo(2);
        assertThat(run(TWO_PODS, "-", "-o", "yaml").exit()).isEqualTo(2);
        assertThat(run(TWO_PODS, "-", "--from", "x/a").exit()).isEqualTo(2);
        assertThat(run(TWO_PODS, "-", "--ports", "http").exit()).isEqualTo(2);
        assertThat(run(TWO_PODS, "-", "--protocols", "icmp").exit()).isEqualTo(2);
        assertThat(run(TWO_PODS, "-", "--from", "x/a", "--to", "x/zz").exit()).isEqualTo(2);
    }

    @Test
    void finishedPodsAreLeftOutOfTablesWithANote() {
        CliRun r = run(TWO_PODS + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: job, namespace: x}
                status: {phase: Succeeded}
                """, "-");
        assertThat(r.out()).doesNotContain("x/job");
        assertThat(r.err()).contains("note: pods in phase Succeeded or Failed are left out of the tables: x/job");
    }

    /** x/old's address was handed to x/new; the Pod object of x/old is still there (kubelet's status lags). */
    private static final String HANDED_OVER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: old, namespace: x, labels: {app: db}, creationTimestamp: 2026-05-01T10:00:00Z}
            status: {phase: Running, podIP: 10.0.0.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: new, namespace: x, labels: {app: web}, creationTimestamp: "2026-05-01T10:05:00Z"}
            status: {phase: Running, podIP: 10.0.0.5}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: x, labels: {app: client}}
            status: {phase: Running, podIP: 10.0.0.9}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-client, namespace: x}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-closed, namespace: x}
            spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
            """;

    @Test
    void aPodWhoseAddressANewerPodHoldsIsJudgedWithoutIt() {
        CliRun old = run(HANDED_OVER, "-", "--from", "x/client", "--to", "x/old", "--port", "80");
        assertThat(old.out()).isEqualTo("""
                x/client -> x/old 80/TCP: allowed
                  egress: x/client is not selected by any policy with egress rules: allowed
                  ingress: x/old holds no address: its address 10.0.0.5 is held by the newer pod x/new, so no policy \
                applies to it
                """);
        assertThat(old.err()).contains("note: 10.0.0.5 is claimed by x/old and x/new; x/new holds it, and x/old is "
                + "judged without it");
        CliRun address = run(HANDED_OVER, "-", "--from", "x/client", "--to", "10.0.0.5", "--port", "80");
        assertThat(address.err()).contains("note: 10.0.0.5 is the address of pod x/new; judging that pod");
        assertThat(address.out()).isEqualTo("""
                x/client -> x/new 80/TCP: denied
                  egress: x/client is not selected by any policy with egress rules: allowed
                  ingress: x/new is isolated by x/web-closed and no rule allows it: denied
                """);
        assertThat(old.exit()).isZero();
    }

    private static final String DUAL_STACK = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x}
            status: {podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x}
            status: {podIPs: [{ip: 10.0.0.2}, {ip: "fd00::2"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: x}
            status: {podIP: 10.0.0.3}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: from-v6, namespace: x}
            spec:
              podSelector: {}
              ingress: [{from: [{ipBlock: {cidr: "fd00::/64"}}]}]
            """;

    @Test
    void familyChoosesWhichPacketsAreJudgedOnDualStack() {
        CliRun v4 = run(DUAL_STACK, "-", "--ports", "80", "--protocols", "TCP");
        assertThat(v4.out()).contains("x/a\t.\tX\tX\nx/b\tX\t.\tX\nx/c\tX\tX\t.");
        CliRun v6 = run(DUAL_STACK, "-", "--ports", "80", "--protocols", "TCP", "--family", "ipv6");
        assertThat(v6.out()).contains("x/a\t.\t.\t?\nx/b\t.\t.\t?\nx/c\t?\t?\t?");
        CliRun single = run(DUAL_STACK, "-", "--from", "x/c", "--to", "x/a", "--port", "80", "--family", "6");
        assertThat(single.out()).isEqualTo("x/c -> x/a 80/TCP: no V6 address on both ends\n");
        assertThat(run(DUAL_STACK, "-", "--family", "ipx").exit()).isEqualTo(2);
    }

    @Test
    void commandIsRegisteredForMain() {
        assertThat(Main.commandLine().getSubcommands()).containsKey("explain");
    }

    @Test
    void anAddressOutsideThePodsIsJudgedOnThePodsSideOnly() {
        CliRun in = run("", examples(), "--from", "10.244.7.7", "--to", "dev/myapp-2", "--port", "80");
        assertThat(in.out()).isEqualTo("""
                10.244.7.7 -> dev/myapp-2 80/TCP: allowed
                  egress: 10.244.7.7 is not a pod's address; no policy applies to that end
                  ingress: allowed by dev/allow-80-ingress ingress[0]
                """);
        CliRun outside = run("", examples(), "--from", "192.0.2.1", "--to", "dev/myapp-2", "--port", "80");
        assertThat(outside.out()).startsWith("192.0.2.1 -> dev/myapp-2 80/TCP: denied\n");
        CliRun out = run("", examples(), "--from", "prod/other", "--to", "8.8.8.8", "--port", "53", "--protocol", "UDP",
                "-o", "json");
        TruthTable t = TruthTableJson.read(out.out());
        assertThat(t.cell("prod/other", "8.8.8.8", new PortProtocol(53, dev.weir.model.Protocol.UDP)).orElseThrow()
                .allowed()).as("deny-all-egress in prod").isFalse();
        assertThat(out.exit()).isZero();
    }

    @Test
    void anAddressThatIsAPodsIpStandsForThatPod() {
        CliRun r = run("", examples(), "--from", "10.244.1.2", "--to", "dev/myapp-2", "--port", "80");
        assertThat(r.err()).contains("note: 10.244.1.2 is the address of pod dev/myapp-1; judging that pod");
        assertThat(r.out()).startsWith("dev/myapp-1 -> dev/myapp-2 80/TCP: denied\n");
    }

    @Test
    void anEndThatIsNeitherAPodNorAnAddressIsAUsageError() {
        CliRun r = run("", examples(), "--from", "dev/nope", "--to", "dev/myapp-2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no pod dev/nope in the manifests, and not an IP address (pods: dev/myapp-1,");
        assertThat(run("", examples(), "--from", "10.0.0.0/8", "--to", "dev/myapp-2").exit()).isEqualTo(2);
    }
}
