package dev.weir.iptables.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Raw SCTP probes through a real router namespace ({@code wrs-<id>-a} → {@code -r} → {@code -b}): an INIT arrives with
 * no rules, is stopped by {@code -p sctp --dport N -j DROP} in the router's FORWARD chain and passes a drop for another
 * port. Works without kernel SCTP sockets: only netfilter's SCTP match and conntrack are involved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawSctpKernelTest {

    private final String id = "wrs-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final List<String> created = new ArrayList<>();
    private NetworkNamespace a;
    private NetworkNamespace b;
    private RawSctp.Sender sender;
    private RawSctp.Receiver receiver;

    @BeforeAll
    void build() throws Exception {
        assumeTrue(LibC.get().getuid() == 0, "raw sockets and network namespaces need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables")),
                "needs iptables");
        for (String role : List.of("a", "r", "b")) {
            sh("ip", "netns", "add", id + "-" + role);
            created.add(id + "-" + role);
            sh("ip", "-n", id + "-" + role, "link", "set", "lo", "up");
        }
        String r = id + "-r";
        sh("ip", "-n", id + "-a", "link", "add", "eth0", "type", "veth", "peer", "name", "ra", "netns", r);
        sh("ip", "-n", id + "-b", "link", "add", "eth0", "type", "veth", "peer", "name", "rb", "netns", r);
        sh("ip", "-n", id + "-a", "addr", "add", "10.199.1.2/24", "dev", "eth0");
        sh("ip", "-n", id + "-b", "addr", "add", "10.199.2.2/24", "dev", "eth0");
        sh("ip", "-n", r, "addr", "add", "10.199.1.1/24", "dev", "ra");
        sh("ip", "-n", r, "addr", "add", "10.199.2.1/24", "dev", "rb");
        for (String[] l : List.of(new String[] {id + "-a", "eth0"}, new String[] {id + "-b", "eth0"},
                new String[] {r, "ra"}, new String[] {r, "rb"})) {
            sh("ip", "-n", l[0], "link", "set", l[1], "up");
        }
        sh("ip", "-n", id + "-a", "route", "add", "default", "via", "10.199.1.1");
        sh("ip", "-n", id + "-b", "route", "add", "default", "via", "10.199.2.1");
        sh("ip", "netns", "exec", r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        a = NetworkNamespace.named(id + "-a");
        b = NetworkNamespace.named(id + "-b");
        sender = RawSctp.Sender.open(a);
        receiver = RawSctp.Receiver.open(b);
    }

    @AfterAll
    void delete() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (sender != null) {
            sender.close();
        }
        for (NetworkNamespace n : new NetworkNamespace[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        for (String n : created) {
            sh("ip", "netns", "del", n);
        }
        assertThat(sh("ip", "netns", "list")).doesNotContain(id);
    }

    @BeforeEach
    void noRules() throws Exception {
        if (!created.isEmpty()) {
            iptables("-F", "FORWARD");
        }
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", argv), out).isZero();
        return out;
    }

    private void iptables(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", id + "-r", "iptables", "-w"));
        argv.addAll(List.of(args));
        sh(argv.toArray(String[]::new));
    }

    private boolean probe(int port) throws Exception {
        int tag = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        sender.send("10.199.2.2", new SctpInit(ThreadLocalRandom.current().nextInt(32768, 60999), port, tag));
        return receiver.await(port, tag, Duration.ofMillis(500));
    }

    @ParameterizedTest(name = "{0}: INIT to 7777 arrives = {2}")
    @CsvSource(delimiter = '|', value = {
            "no rules                       | -                                                          | true",
            "drop sctp to 7777              | -p sctp --dport 7777 -j DROP                               | false",
            "drop sctp to 7778              | -p sctp --dport 7778 -j DROP                               | true",
            "drop tcp to 7777               | -p tcp --dport 7777 -j DROP                                | true",
            "drop INIT chunks to 7777       | -p sctp --dport 7777 -m sctp --chunk-types any INIT -j DROP | false",
            "conntrack: drop INVALID        | -m conntrack --ctstate INVALID -j DROP                     | true",
            "conntrack: drop NEW sctp       | -p sctp -m conntrack --ctstate NEW -j DROP                 | false"})
    void anInitCrossesTheRouterUnlessARuleForItsPortDropsIt(String what, String rule, boolean arrives)
            throws Exception {
        if (!rule.equals("-")) {
            List<String> args = new ArrayList<>(List.of("-A", "FORWARD"));
            args.addAll(List.of(rule.split(" ")));
            iptables(args.toArray(String[]::new));
        }

        assertThat(probe(7777)).as(what).isEqualTo(arrives);
    }

    /**
     * The checksum, judged by the kernel rather than by our own decoder: conntrack verifies SCTP's CRC32c on packets
     * that arrive unchecked (veths leave raw packets so), and counts a wrong one as INVALID. An intact INIT is not
     * INVALID; the same INIT with its checksum bytes swapped (big endian, the classic mistake) is.
     */
    @org.junit.jupiter.api.Test
    void conntrackAcceptsTheChecksumAndRejectsItByteSwapped() throws Exception {
        iptables("-A", "FORWARD", "-p", "sctp", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP");
        int tag = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        sender.send("10.199.2.2", new SctpInit(40001, 7777, tag));
        assertThat(receiver.await(7777, tag, Duration.ofMillis(500))).isTrue();
        assertThat(invalidDrops()).as("intact INIT").isZero();

        byte[] swapped = new SctpInit(40002, 7777, tag + 1).encode();
        for (int i = 0; i < 2; i++) {
            byte t = swapped[8 + i];
            swapped[8 + i] = swapped[11 - i];
            swapped[11 - i] = t;
        }
        sender.sendBytes("10.199.2.2", swapped);
        long deadline = System.currentTimeMillis() + 2000;
        while (invalidDrops() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(invalidDrops()).as("INIT with a byte-swapped checksum").isEqualTo(1);
    }

    private long invalidDrops() throws Exception {
        String out = sh("ip", "netns", "exec", id + "-r", "iptables", "-w", "-L", "FORWARD", "-v", "-x", "-n");
        return out.lines().filter(l -> l.contains("INVALID")).mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0]))
                .sum();
    }
}
