package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.iptables.sys.RawSctp;
import dev.weir.iptables.sys.SctpInit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real packets through a node programmed by the applier. Two pod namespaces hang off a node namespace on routed /32
 * veths (Calico style): client 10.251.0.2, server 10.251.0.3. The server listens (ncat) on allowed and on disallowed
 * ports, so a refused probe is the policy, not a closed port. Probes are plain sockets opened inside the client;
 * SCTP probes are raw INIT packets, as the kernel may lack SCTP sockets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacketKernelTest {

    private static final String CLIENT = "10.251.0.2";
    private static final String SERVER = "10.251.0.3";
    private static final int TCP_ALLOWED = 8080;
    private static final int TCP_OTHER = 9090;
    private static final int UDP_ALLOWED = 5353;
    private static final int UDP_OTHER = 5454;
    private static final int SCTP_ALLOWED = 7777;
    private static final int SCTP_OTHER = 7778;
    private static final int DENIED_TIMEOUT_MS = 400;

    private Kernel kernel;
    private NamespaceCommandRunner node;
    private NamespaceCommandRunner serverRunner;
    private NetworkNamespace client;
    private NetworkNamespace server;
    private DataplaneApplier applier;
    private EchoServers servers;

    @BeforeAll
    void wire() throws Exception {
        Kernel.assumeKernelTools("ncat");
        kernel = new Kernel();
        String n = kernel.create("node");
        String a = kernel.create("a");
        String b = kernel.create("b");
        kernel.routedPod(n, a, "va", CLIENT, "10.251.1.1");
        kernel.routedPod(n, b, "vb", SERVER, "10.251.2.1");
        node = kernel.runner(n);
        node.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
        serverRunner = kernel.runner(b);
        client = kernel.namespace(a);
        server = kernel.namespace(b);
        servers = new EchoServers(server, serverRunner, SERVER);
        servers.tcp(TCP_ALLOWED, TCP_OTHER);
        applier = new DataplaneApplier(node, IptablesBackend.NFT);
        applier.apply(KernelRulesets.server(SERVER, TCP_ALLOWED, UDP_ALLOWED, SCTP_ALLOWED, CLIENT));
    }

    @AfterAll
    void unwire() {
        if (servers != null) {
            servers.close();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    private boolean tcp(int port) throws Exception {
        return client.call(() -> Probes.tcp(SERVER, port, DENIED_TIMEOUT_MS) == Probes.Outcome.ANSWERED);
    }

    private boolean udp(int port) throws Exception {
        return client.call(() -> Probes.udp(SERVER, port, DENIED_TIMEOUT_MS));
    }

    @Test
    void tcpIsAllowedOnlyOnThePolicysPortAndOnlyFromSetMembers() throws Exception {
        assertThat(tcp(TCP_ALLOWED)).as("tcp %d from a member", TCP_ALLOWED).isTrue();
        assertThat(tcp(TCP_OTHER)).as("tcp %d (not in the policy)", TCP_OTHER).isFalse();

        ApplyReport report = applier.apply(KernelRulesets.server(SERVER, TCP_ALLOWED, UDP_ALLOWED, SCTP_ALLOWED));
        try {
            assertThat(report.v4().isEmpty()).as("membership change writes no rule").isTrue();
            assertThat(tcp(TCP_ALLOWED)).as("tcp %d after the client left the set", TCP_ALLOWED).isFalse();
        } finally {
            applier.apply(KernelRulesets.server(SERVER, TCP_ALLOWED, UDP_ALLOWED, SCTP_ALLOWED, CLIENT));
        }
        assertThat(tcp(TCP_ALLOWED)).as("tcp %d after the client rejoined", TCP_ALLOWED).isTrue();
    }

    @Test
    void udpGetsItsEchoOnlyOnThePolicysPort() throws Exception {
        servers.udp(UDP_ALLOWED);
        servers.udp(UDP_OTHER);

        assertThat(udp(UDP_ALLOWED)).as("udp %d echo", UDP_ALLOWED).isTrue();
        assertThat(udp(UDP_OTHER)).as("udp %d (not in the policy)", UDP_OTHER).isFalse();
    }

    /**
     * SCTP with raw INITs ({@link RawSctp}), so it runs on kernels without SCTP sockets too: netfilter's SCTP match and
     * conntrack are all a policy needs. Allowed = the INIT reached the server namespace.
     */
    @Test
    void sctpIsAllowedOnlyOnThePolicysPortAndOnlyFromSetMembers() throws Exception {
        try (RawSctp.Sender sender = RawSctp.Sender.open(client);
                RawSctp.Receiver receiver = RawSctp.Receiver.open(server)) {
            assertThat(sctp(sender, receiver, SCTP_ALLOWED)).as("sctp %d", SCTP_ALLOWED).isTrue();
            assertThat(sctp(sender, receiver, SCTP_OTHER)).as("sctp %d (not in the policy)", SCTP_OTHER).isFalse();

            applier.apply(KernelRulesets.server(SERVER, TCP_ALLOWED, UDP_ALLOWED, SCTP_ALLOWED));
            try {
                assertThat(sctp(sender, receiver, SCTP_ALLOWED)).as("sctp %d after the client left the set",
                        SCTP_ALLOWED).isFalse();
            } finally {
                applier.apply(KernelRulesets.server(SERVER, TCP_ALLOWED, UDP_ALLOWED, SCTP_ALLOWED, CLIENT));
            }
        }
    }

    private static boolean sctp(RawSctp.Sender sender, RawSctp.Receiver receiver, int port) throws Exception {
        int tag = java.util.concurrent.ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        sender.send(SERVER, new SctpInit(java.util.concurrent.ThreadLocalRandom.current().nextInt(32768, 60999), port,
                tag));
        return receiver.await(port, tag, java.time.Duration.ofMillis(DENIED_TIMEOUT_MS));
    }
}
