package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.nflog.Backoff;
import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogGroupBusyException;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.nflog.NflogSocket;
import dev.weir.iptables.sys.LibC;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.iptables.sys.RawSctp;
import dev.weir.iptables.sys.SctpInit;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NFLOG reader against the kernel. Two namespaces joined by a veth ({@code wnf-*}): the client {@code a}
 * (10.253.0.1, fd00:253::1) sends, the receiver {@code b} (10.253.0.2, fd00:253::2) logs every TCP, UDP and SCTP
 * packet from the veth with {@code -j NFLOG --nflog-group 7 --nflog-prefix "weir 1234abcd"} and drops it, as weir's
 * denial rules will; its mangle table marks them 0x4d. A reader started inside {@code b} must see each one with exactly
 * that prefix, the addresses, protocol, ports, input interface and mark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NflogKernelTest {

    private static final String PREFIX = "weir 1234abcd";
    private static final int GROUP = 7;
    private static final String A4 = "10.253.0.1";
    private static final String B4 = "10.253.0.2";
    private static final String A6 = "fd00:253::1";
    private static final String B6 = "fd00:253::2";
    private static final int MARK = 0x4d;
    private static final Duration ARRIVAL = Duration.ofSeconds(3);

    private Kernel kernel;
    private String nsA;
    private String nsB;
    private NetworkNamespace client;
    private NetworkNamespace receiver;
    private NamespaceCommandRunner receiverRunner;
    private int vbIndex;
    private NflogReader reader;
    private final BlockingQueue<NflogPacket> logged = new LinkedBlockingQueue<>();

    @BeforeAll
    void wire() throws Exception {
        Kernel.assumeKernelTools("iptables-nft", "ip6tables-nft");
        kernel = new Kernel("wnf-");
        nsA = kernel.create("a");
        nsB = kernel.create("b");
        kernel.ip(nsA, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", nsB);
        kernel.ip(nsA, "addr", "add", A4 + "/24", "dev", "va");
        kernel.ip(nsA, "addr", "add", A6 + "/64", "dev", "va", "nodad");
        kernel.ip(nsB, "addr", "add", B4 + "/24", "dev", "vb");
        kernel.ip(nsB, "addr", "add", B6 + "/64", "dev", "vb", "nodad");
        kernel.ip(nsA, "link", "set", "va", "up");
        kernel.ip(nsB, "link", "set", "vb", "up");
        client = kernel.namespace(nsA);
        receiver = kernel.namespace(nsB);
        receiverRunner = kernel.runner(nsB);
        for (String tool : List.of("iptables-nft", "ip6tables-nft")) {
            rule(tool, "-t", "mangle", "-A", "PREROUTING", "-i", "vb", "-j", "MARK", "--set-mark", "0x4d");
            for (String proto : List.of("tcp", "udp", "sctp")) {
                rule(tool, "-A", "INPUT", "-i", "vb", "-p", proto, "-j", "NFLOG", "--nflog-group",
                        String.valueOf(GROUP), "--nflog-prefix", PREFIX);
                rule(tool, "-A", "INPUT", "-i", "vb", "-p", proto, "-j", "DROP");
            }
        }
        String link = NamespaceCommandRunner.host().run(List.of("ip", "-n", nsB, "-o", "link", "show", "dev", "vb"))
                .orThrow().stdout();
        vbIndex = Integer.parseInt(link.substring(0, link.indexOf(':')).trim());
        reader = receiver.call(() -> NflogReader.start(NflogConfig.of(GROUP), logged::add));
        awaitState(reader, NflogReader.State.BOUND);
    }

    @AfterAll
    void unwire() {
        if (reader != null) {
            reader.close();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    private void rule(String tool, String... args) {
        List<String> argv = new ArrayList<>(List.of(tool, "-w"));
        argv.addAll(List.of(args));
        receiverRunner.run(argv).orThrow();
    }

    static Stream<Arguments> probes() {
        return Stream.of(Arguments.of(IpFamily.V4, Protocol.TCP), Arguments.of(IpFamily.V4, Protocol.UDP),
                Arguments.of(IpFamily.V4, Protocol.SCTP), Arguments.of(IpFamily.V6, Protocol.TCP),
                Arguments.of(IpFamily.V6, Protocol.UDP), Arguments.of(IpFamily.V6, Protocol.SCTP));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("probes")
    void aDroppedFirstPacketArrivesWithItsPrefixAddressesProtocolPortsInterfaceAndMark(IpFamily family,
            Protocol protocol) throws Exception {
        String src = family == IpFamily.V4 ? A4 : A6;
        String dst = family == IpFamily.V4 ? B4 : B6;
        int sport = ThreadLocalRandom.current().nextInt(20000, 30000);
        int dport = ThreadLocalRandom.current().nextInt(30000, 40000);

        send(protocol, src, sport, dst, dport);

        NflogPacket p = await(logged, q -> q.destinationPort() == dport && q.sourcePort() == sport);
        assertThat(p.prefix()).isEqualTo(PREFIX);
        assertThat(p.group()).isEqualTo(GROUP);
        assertThat(p.family()).isEqualTo(family);
        assertThat(p.source()).isEqualTo(IpAddress.parse(src));
        assertThat(p.destination()).isEqualTo(IpAddress.parse(dst));
        assertThat(p.protocol()).contains(protocol);
        assertThat(p.hook()).as("INPUT").isEqualTo(1);
        assertThat(p.inInterface()).as("vb's index").isEqualTo(vbIndex);
        assertThat(p.outInterface()).isZero();
        assertThat(p.mark()).isEqualTo(MARK);
        assertThat(reader.status().malformed()).isZero();
        assertThat(reader.status().lost()).isZero();
    }

    private void send(Protocol protocol, String src, int sport, String dst, int dport) throws Exception {
        switch (protocol) {
            case TCP -> client.call(() -> {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(src, sport));
                    s.connect(new InetSocketAddress(dst, dport), 300);
                    throw new AssertionError("the SYN to " + dst + ":" + dport + " should have been dropped");
                } catch (java.net.SocketTimeoutException dropped) {
                    return null;
                }
            });
            case UDP -> client.call(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(src, sport))) {
                    byte[] ping = "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(ping, ping.length, InetAddress.getByName(dst), dport));
                }
                return null;
            });
            case SCTP -> {
                SctpInit init = new SctpInit(sport, dport, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
                if (src.contains(":")) {
                    sendSctpV6(dst, init);
                } else {
                    try (RawSctp.Sender sender = RawSctp.Sender.open(client)) {
                        sender.send(dst, init);
                    }
                }
            }
            default -> throw new AssertionError(protocol);
        }
    }

    /** RawSctp sends IPv4 only; an IPv6 raw socket takes a {@code struct sockaddr_in6} (28 bytes). */
    private void sendSctpV6(String dst, SctpInit init) throws Exception {
        client.call(() -> {
            LibC libc = LibC.get();
            int fd = libc.socket(10, LibC.SOCK_RAW, SctpInit.PROTOCOL);
            assertThat(fd).as("raw IPv6 SCTP socket: %s", fd < 0 ? libc.strerror(LibC.errno()) : "").isNotNegative();
            try {
                byte[] sockaddr = new byte[28];
                sockaddr[0] = 10; // sa_family AF_INET6, host order (little endian)
                System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, sockaddr, 8, 16);
                byte[] packet = init.encode();
                assertThat(libc.sendto(fd, packet, packet.length, 0, sockaddr, sockaddr.length))
                        .as("sendto %s", dst).isEqualTo(packet.length);
            } finally {
                libc.close(fd);
            }
            return null;
        });
    }

    @Test
    void aSecondReaderOfTheGroupGetsTheBusyErrorAndBindsOnceTheFirstCloses() throws Exception {
        int group = 9;
        int port = 9999;
        rule("iptables-nft", "-I", "INPUT", "1", "-i", "vb", "-p", "udp", "--dport", String.valueOf(port), "-j",
                "NFLOG", "--nflog-group", String.valueOf(group), "--nflog-prefix", "weir busy");
        BlockingQueue<NflogPacket> first = new LinkedBlockingQueue<>();
        BlockingQueue<NflogPacket> second = new LinkedBlockingQueue<>();
        Backoff quick = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));
        NflogReader one = receiver.call(() -> NflogReader.start(NflogConfig.of(group), first::add));
        NflogReader two = null;
        try {
            awaitState(one, NflogReader.State.BOUND);
            two = receiver.call(() -> NflogReader.start(group, () -> NflogSocket.open(NflogConfig.of(group)),
                    second::add, quick));
            awaitState(two, NflogReader.State.RETRYING);
            assertThat(two.status().lastError()).hasValueSatisfying(e -> assertThat(e)
                    .contains("NFLOG group 9 is already bound by another netlink socket (port id"));
            Assertions.assertThatThrownBy(() -> receiver.call(() -> NflogSocket.open(NflogConfig.of(group))))
                    .isInstanceOf(NflogGroupBusyException.class).hasMessageContaining("group 9");

            int sport = udpTo(port);
            assertThat(await(first, p -> p.sourcePort() == sport).prefix()).isEqualTo("weir busy");
            assertThat(second).isEmpty();
            assertThat(one.status().state()).isEqualTo(NflogReader.State.BOUND);

            long start = System.nanoTime();
            one.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(one.status().state()).isEqualTo(NflogReader.State.CLOSED);
            assertThat(closeMillis).as("close took %d ms", closeMillis).isLessThan(1000);

            awaitState(two, NflogReader.State.BOUND);
            int sport2 = udpTo(port);
            assertThat(await(second, p -> p.sourcePort() == sport2).prefix()).isEqualTo("weir busy");
            assertThat(two.status().bindFailures()).isZero();
            assertThat(two.status().lastError()).as("kept for the health view").isPresent();
        } finally {
            one.close();
            if (two != null) {
                two.close();
            }
            rule("iptables-nft", "-D", "INPUT", "-i", "vb", "-p", "udp", "--dport", String.valueOf(port), "-j",
                    "NFLOG", "--nflog-group", String.valueOf(group), "--nflog-prefix", "weir busy");
        }
    }

    @Test
    void closingAReaderEndsItsThreadPromptlyAndReleasesTheGroup() throws Exception {
        int group = 10;
        NflogReader r = receiver.call(() -> NflogReader.start(NflogConfig.of(group), p -> { }));
        try {
            awaitState(r, NflogReader.State.BOUND);
            assertThat(instances()).as("/proc/net/netfilter/nfnetlink_log").anyMatch(l -> l.startsWith("10 "));
        } finally {
            long start = System.nanoTime();
            r.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(closeMillis).as("close took %d ms", closeMillis).isLessThan(1000);
        }
        assertThat(r.status().state()).isEqualTo(NflogReader.State.CLOSED);
        assertThat(instances()).noneMatch(l -> l.startsWith("10 "));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("nflog-10"));
    }

    /**
     * A slow consumer and a tiny socket buffer: the kernel drops, the reader counts the overrun (ENOBUFS) and, from
     * the gaps in the group's sequence numbers, exactly how many packets it lost, and goes on reading.
     */
    @Test
    void anOverflowingBufferIsCountedAsOverrunsAndLostPacketsAndReadingGoesOn() throws Exception {
        int group = 13;
        int port = 9997;
        int burst = 300;
        List<String> logRule = List.of("iptables-nft", "-w", "-I", "INPUT", "1", "-i", "vb", "-p", "udp", "--dport",
                String.valueOf(port), "-j", "NFLOG", "--nflog-group", String.valueOf(group), "--nflog-prefix", "burst");
        receiverRunner.run(logRule).orThrow();
        java.util.concurrent.CountDownLatch slow = new java.util.concurrent.CountDownLatch(1);
        List<NflogPacket> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        NflogConfig tiny = NflogConfig.of(group).withReceiveBuffer(4096);
        try (NflogReader r = receiver.call(() -> NflogReader.start(tiny, p -> {
            got.add(p);
            try {
                slow.await(5, TimeUnit.SECONDS); // the first packet holds the reader until the burst is sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }))) {
            awaitState(r, NflogReader.State.BOUND);
            client.call(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(A4, 0))) {
                    byte[] b = new byte[16];
                    for (int i = 0; i < burst; i++) {
                        s.send(new DatagramPacket(b, b.length, InetAddress.getByName(B4), port));
                    }
                }
                return null;
            });
            slow.countDown();
            await(() -> r.status().overruns() > 0, "no overrun: " + r.status());
            int marker = udpTo(port); // after the drain: arrives, and closes any gap at the end of the burst
            await(() -> got.stream().anyMatch(p -> p.sourcePort() == marker), "marker never came: " + r.status());

            NflogReader.Status s = r.status();
            assertThat(s.lost()).isPositive();
            assertThat(s.received() + s.lost()).as("every packet logged is received or counted lost: %s", s)
                    .isEqualTo(burst + 1);
            assertThat(s.state()).isEqualTo(NflogReader.State.BOUND);
        } finally {
            List<String> delete = new ArrayList<>(logRule);
            delete.subList(delete.indexOf("-I"), delete.indexOf("-I") + 3).clear();
            delete.add(2, "-D");
            delete.add(3, "INPUT");
            receiverRunner.run(delete);
        }
    }

    /** iptables-legacy's NFLOG target (xt_NFLOG) reaches the same reader as iptables-nft's (nft's log statement). */
    @Test
    void aLegacyRuleLogsToTheReaderToo() throws Exception {
        int group = 12;
        int port = 9998;
        List<String> legacyRule = List.of("iptables-legacy", "-w", "-A", "INPUT", "-i", "vb", "-p", "udp", "--dport",
                String.valueOf(port), "-j", "NFLOG", "--nflog-group", String.valueOf(group), "--nflog-prefix",
                "weir legacy");
        BlockingQueue<NflogPacket> got = new LinkedBlockingQueue<>();
        receiverRunner.run(legacyRule).orThrow();
        try (NflogReader r = receiver.call(() -> NflogReader.start(NflogConfig.of(group), got::add))) {
            awaitState(r, NflogReader.State.BOUND);
            int sport = udpTo(port);
            NflogPacket p = await(got, q -> q.sourcePort() == sport);
            assertThat(List.of(p.prefix(), p.source().toString(), p.destinationPort()))
                    .containsExactly("weir legacy", A4, port);
        } finally {
            List<String> delete = new ArrayList<>(legacyRule);
            delete.set(delete.indexOf("-A"), "-D");
            receiverRunner.run(delete);
        }
    }

    /**
     * On a kernel that logs by type (3.17 and later) the reader leaves the families' default loggers alone; the
     * pre-3.17 dance (forced here) would make nfnetlink_log the namespace's default IPv4 logger.
     */
    @Test
    void onThisKernelTheFamilysDefaultLoggerIsLeftAlone() throws Exception {
        String before = defaultLogger(2);
        try (NflogSocket s = receiver.call(() -> NflogSocket.open(NflogConfig.of(11)))) {
            assertThat(s.group()).isEqualTo(11);
            assertThat(defaultLogger(2)).isEqualTo(before);
        }
        try (NflogSocket s = receiver.call(() -> NflogSocket.open(
                NflogConfig.of(11).withFamilyBind(NflogConfig.FamilyBind.ALWAYS)))) {
            assertThat(s.portId()).isPositive();
            assertThat(defaultLogger(2)).isEqualTo("nfnetlink_log");
        }
    }

    /** The logger bound for {@code family} in the receiver, from its {@code /proc/net/netfilter/nf_log}. */
    private String defaultLogger(int family) {
        String table = receiverRunner.run(List.of("cat", "/proc/net/netfilter/nf_log")).orThrow().stdout();
        return table.lines().map(String::trim).filter(l -> l.startsWith(family + " ")).findFirst()
                .map(l -> l.split("\\s+")[1]).orElseThrow();
    }

    private List<String> instances() {
        return receiverRunner.run(List.of("cat", "/proc/net/netfilter/nfnetlink_log")).orThrow().stdout().lines()
                .map(String::trim).toList();
    }

    private int udpTo(int port) throws Exception {
        int sport = ThreadLocalRandom.current().nextInt(20000, 30000);
        send(Protocol.UDP, A4, sport, B4, port);
        return sport;
    }

    private static NflogPacket await(BlockingQueue<NflogPacket> queue, Predicate<NflogPacket> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        List<NflogPacket> others = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            NflogPacket p = queue.poll(50, TimeUnit.MILLISECONDS);
            if (p != null && wanted.test(p)) {
                return p;
            }
            if (p != null) {
                others.add(p);
            }
        }
        throw new AssertionError("no such packet logged within " + ARRIVAL + "; others: " + others);
    }

    private static void awaitState(NflogReader reader, NflogReader.State state) throws InterruptedException {
        await(() -> reader.status().state() == state, reader + " never " + state + ": " + reader.status());
    }

    private static void await(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(20);
        }
    }
}
