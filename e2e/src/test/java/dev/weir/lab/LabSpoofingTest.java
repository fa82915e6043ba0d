package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.Names;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ObjectKey;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, anti-spoofing, on the lab as the issue tried it: agents as their own processes, {@code x/c} under a
 * deny-all-egress policy borrows {@code x/a}'s address ({@code ip addr add} on its {@code eth0}) and connects with it
 * as source to a pod on its own node and to one on the other node. Each attempt must get no connection and no reply
 * (the SYN is dropped, so the connect times out rather than being refused), and once {@code x/c} gives the address
 * back every pod's traffic must still be what {@code weir explain} says, cell by cell, so the attempt stole nothing (on
 * flannel's bridge, {@code x/c}'s ARP with {@code x/a}'s address would otherwise have pointed the node's and the other
 * pods' neighbour entries for {@code x/a} at {@code x/c}). Both topologies: flannel
 * (bridge ports, found in the node's CNI cache) and canal (routed veths, found by their routes).
 */
class LabSpoofingTest {

    private static final int PORT = 80;

    @TempDir
    Path stateDir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flannel", "canal"})
    void aPodGetsNoConnectionWithAnotherPodsAddressAndStealsNoTraffic(String topology) throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
        lab.up("--nodes", "2", "--topology", topology, "--agents", "process", "--agent-http-base", "19700");
        lab.awaitAgentsReady();
        lab.apply("np.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: c-deny-all-egress, namespace: x}
                spec: {podSelector: {matchLabels: {pod: c}}, policyTypes: [Egress]}
                """);
        LabPlan plan = lab.state().plan();
        LabPlan.PodPlan attacker = plan.pod("x/c").orElseThrow();
        LabPlan.PodPlan victim = plan.pod("x/a").orElseThrow();
        awaitGuardedOn(plan.node(attacker.node()), attacker);
        LabPlan.PodPlan sameNode = plan.pods().stream().filter(p -> p.node().equals(attacker.node())
                && p != attacker && p != victim).findFirst().orElseThrow();
        LabPlan.PodPlan otherNode = plan.pods().stream().filter(p -> !p.node().equals(attacker.node())
                && p != victim).findFirst().orElseThrow();

        LabFixture.sh("ip", "-n", attacker.netns(), "addr", "add", victim.ip() + "/32", "dev", "eth0");
        try (NetworkNamespace ns = NetworkNamespace.named(attacker.netns())) {
            for (LabPlan.PodPlan target : List.of(sameNode, otherNode)) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    String outcome = ns.call(() -> connect(victim.ip(), target.ip()));
                    assertThat(outcome).as("%s as %s -> %s:%d, attempt %d", attacker.key(), victim.key(),
                            target.key(), PORT, attempt + 1).isEqualTo("timed out");
                }
            }
        }

        // the attacker gives the address back (while it holds it, its own replies to x/a stay inside it); whatever the
        // attempts poisoned (a neighbour entry for x/a's address pointing at x/c) would now show as x/a unreachable
        LabFixture.sh("ip", "-n", attacker.netns(), "addr", "del", victim.ip() + "/32", "dev", "eth0");
        LabFixture.Run compare = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports",
                String.valueOf(PORT), "--protocols", "tcp", "--timeout", "500ms", "--compare"));
        assertThat(compare.code()).as(compare.output()).isZero();
        assertThat(compare.output()).contains("agrees with explain in every cell");
        String node = plan.node(attacker.node()).netns();
        String l3 = LabFixture.sh("ip", "netns", "exec", node, "iptables-nft-save", "-c", "-t", "filter");
        String l2 = LabFixture.sh("ip", "netns", "exec", node, "ebtables-nft-save", "-c");
        String l2Chain = "-A " + Names.bridgePortChain(ObjectKey.pod("x", "c")) + " ";
        long counted = dropped(l3, l -> l.contains("-A WEIR-FROM-POD") && l.contains("pod:x/c "))
                + dropped(l2, l -> l.contains(l2Chain));
        // flannel: the bridge table drops the frames (layer 2) before iptables sees them; canal: WEIR-FROM-POD
        assertThat(counted).as("x/c's spoofed packets counted on its own rules\n%s%s", l3, l2).isPositive();
    }

    /** Packets counted on the DROP rules of a {@code -c} save that {@code which} selects. */
    private static long dropped(String save, java.util.function.Predicate<String> which) {
        return save.lines().filter(l -> l.startsWith("[") && l.endsWith("-j DROP") && which.test(l))
                .mapToLong(l -> Long.parseLong(l.substring(1, l.indexOf(':')))).sum();
    }

    /** Waits until the attacker's node has its anti-spoofing rule (the agent found its interface). */
    private static void awaitGuardedOn(LabPlan.NodePlan node, LabPlan.PodPlan pod) throws Exception {
        String save = "";
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            save = LabFixture.sh("ip", "netns", "exec", node.netns(), "iptables-nft-save", "-t", "filter");
            if (save.contains("-A WEIR-FROM-POD") && save.contains("pod:" + pod.key() + " ")) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(save).as("anti-spoofing rules for %s on %s", pod.key(), node.netns())
                .contains("pod:" + pod.key() + " ");
    }

    /** A TCP connect from {@code source} (an address of the calling namespace) to {@code to}:80. */
    private static String connect(String source, String to) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress(to, PORT), 1000);
            return "connected";
        } catch (SocketTimeoutException e) {
            return "timed out";
        } catch (ConnectException e) {
            return "refused: " + e.getMessage();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
