package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RenderCommandTest {

    private static CliRun run(String stdin, String... args) {
        return CliRun.weir(new RenderCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))), args);
    }

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: prod, labels: {app: db}}
            spec: {nodeName: n1, containers: [{name: c}]}
            status: {phase: Running, podIP: 10.0.1.3, podIPs: [{ip: 10.0.1.3}, {ip: "fd00::3"}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod, labels: {app: web}}
            spec: {nodeName: n2, containers: [{name: c}]}
            status: {phase: Running, podIP: 10.0.2.2, podIPs: [{ip: 10.0.2.2}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5432}]
            """;

    @Test
    void printsIpsetsThenIpv4ThenIpv6PayloadsForTheNode() {
        CliRun r = run(CLUSTER, "--node", "n1", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("# ipset restore\ncreate weir-g4-")
                .contains("add weir-g4-", " 10.0.2.2\n")
                .contains("-A WEIR-INGRESS -d 10.0.1.3/32 ")
                .contains("-A WEIR-INGRESS -d fd00::3/128 ")
                .contains("--dport 5432")
                .contains("-I FORWARD 1 -j WEIR-FORWARD");
        assertThat(r.out().indexOf("# ipset restore")).isLessThan(r.out().indexOf("# iptables-restore"));
        assertThat(r.out().indexOf("# iptables-restore")).isLessThan(r.out().indexOf("# ip6tables-restore"));
    }

    @Test
    void nodeWithoutSelectedPodsGetsOnlyTheFixedChainsAndNoIpv6Section() {
        CliRun r = run(CLUSTER, "--node", "n2", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("weir-g4-").doesNotContain("ip6tables").contains(":WEIR-FORWARD - [0:0]");
    }

    @Test
    void onlyPrintsOnePayloadWithoutHeadersForPiping() {
        CliRun r = run(CLUSTER, "--node", "n1", "--only", "ipset", "-");
        assertThat(r.out()).startsWith("create weir-").doesNotContain("#");
        assertThat(run(CLUSTER, "--node", "n1", "--only", "ip6tables", "-").out()).startsWith("*filter\n")
                .contains("fd00::3/128").endsWith("COMMIT\n");
    }

    @Test
    void markMaskMovesWeirsMarkBitsAsTheAgentsFlagDoes() {
        CliRun r = run(CLUSTER, "--node", "n1", "--only", "iptables", "--mark-mask", "0xf000", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("-j MARK --set-xmark 0x0/0xf000").doesNotContain("0xf00000");
        CliRun bad = run(CLUSTER, "--node", "n1", "--mark-mask", "0x3", "-");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--mark-mask: mark mask 0x3 must have at least 4 bits set");
    }

    @Test
    void connMarkMovesTheFastPathsConntrackBitAsTheAgentsFlagDoes() {
        assertThat(run(CLUSTER, "--node", "n1", "--only", "iptables", "-").out()).contains(
                "-m conntrack --ctstate ESTABLISHED -m connmark --mark 0x1000000/0x1000000",
                "-j CONNMARK --set-xmark 0x1000000/0x1000000");
        CliRun moved = run(CLUSTER, "--node", "n1", "--only", "iptables", "--conn-mark", "0x80", "-");
        assertThat(moved.exit()).isZero();
        assertThat(moved.out()).contains("-m connmark --mark 0x80/0x80", "-j CONNMARK --set-xmark 0x80/0x80")
                .doesNotContain("0x1000000");
        assertThat(run(CLUSTER, "--node", "n1", "--only", "iptables", "--conn-mark", "0", "-").out())
                .doesNotContain("connmark").doesNotContain("CONNMARK");
        CliRun bad = run(CLUSTER, "--node", "n1", "--conn-mark", "0x3", "-");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--conn-mark: conntrack mark \"0x3\" must be one bit of 32");
    }

    @Test
    void aBridgePortAddsTheEbtablesPayloadForThatPodWhetherOrNotAPolicySelectsIt() {
        CliRun r = run(CLUSTER, "--node", "n1", "--bridge-port", "prod/db=veth1a2b,0A:58:0A:00:01:03", "-");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(", 2 bridge chains\n", "# ebtables-restore --noflush (bridge nat table)\n*nat\n",
                "-A WEIR-L2 -i veth1a2b -j WEIR-L2-",
                " -p ARP --arp-ip-src 10.0.1.3 --arp-mac-src 0a:58:0a:00:01:03 -j RETURN\n",
                " -p IPv6 --ip6-src fd00::3 -j RETURN\n", "-I PREROUTING 1 -j WEIR-L2\nCOMMIT\n");
        assertThat(r.out().indexOf("# ip6tables-restore")).isLessThan(r.out().indexOf("# ebtables-restore"));
        assertThat(run(CLUSTER, "--node", "n1", "--bridge-port", "prod/db=veth1a2b,0a:58:0a:00:01:03", "--only",
                "ebtables", "-").out()).startsWith("*nat\n:WEIR-L2 RETURN\n").endsWith("COMMIT\n");
    }

    @Test
    void withoutBridgePortsThereIsNoEbtablesPayload() {
        assertThat(run(CLUSTER, "--node", "n1", "-").out()).doesNotContain("ebtables", "bridge chains");
        assertThat(run(CLUSTER, "--node", "n1", "--only", "ebtables", "-").out()).isEmpty();
    }

    @Test
    void aMalformedBridgePortIsAUsageError() {
        CliRun noMac = run(CLUSTER, "--node", "n1", "--bridge-port", "prod/db=veth1", "-");
        assertThat(noMac.exit()).isEqualTo(2);
        assertThat(noMac.err()).contains("--bridge-port wants NS/POD=IF,MAC");
        CliRun badMac = run(CLUSTER, "--node", "n1", "--bridge-port", "prod/db=veth1,02:00", "-");
        assertThat(badMac.exit()).isEqualTo(2);
        assertThat(badMac.err()).contains("is no MAC address");
    }

    @Test
    void unknownNodeIsANoteNotAnError() {
        CliRun r = run(CLUSTER, "--node", "nowhere", "-");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("no pod in the manifests runs on node nowhere");
    }

    @Test
    void missingNodeOrBadOnlyIsAUsageError() {
        assertThat(run(CLUSTER, "-").exit()).isEqualTo(2);
        assertThat(run(CLUSTER, "--node", "n1", "--only", "nft", "-").exit()).isEqualTo(2);
        assertThat(run(CLUSTER, "--node", "n1").exit()).isEqualTo(2);
    }

    @Test
    void rejectedObjectExitsOneAndStillPrints() {
        CliRun r = run(CLUSTER + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: prod}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: "10.0.0.0/33"}}]}]
                """, "--node", "n1", "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("rejected:");
        assertThat(r.out()).contains("-A WEIR-INGRESS -d 10.0.1.3/32 ");
    }

    @Test
    void commandIsRegisteredForMain() {
        assertThat(ServiceLoader.load(Subcommand.class).stream().map(p -> p.type().getSimpleName()))
                .contains("RenderCommand");
    }
}
