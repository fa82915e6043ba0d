package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.TrackedFlow;
import dev.weir.iptables.apply.ConntrackTable;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConntrackTable#deleteAll} over ctnetlink against a real conntrack table in a throwaway namespace, with entries
 * made by {@code conntrack -I}: exactly the flows named go (each by its original tuple, and the entry an answer in
 * flight makes of its reply tuple once it is gone), every other entry stays, the count says which still had an entry, and
 * the answer is the same as the {@code conntrack -D} processes give. Live flows ending by revocation are
 * {@code RevocationKernelTest}'s and the lab's.
 */
class ConntrackNetlinkKernelTest {

    private Kernel kernel;
    private NamespaceCommandRunner node;
    private String ns;

    @BeforeEach
    void setUp() {
        Kernel.assumeKernelTools("conntrack");
        kernel = new Kernel("wct-");
        ns = kernel.create("node");
        node = kernel.runner(ns);
        // a namespace tracks connections once a rule needs conntrack
        node.run(List.of("iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP")).orThrow();
        node.run(List.of("ip6tables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "INVALID", "-j", "DROP"))
                .orThrow();
    }

    @AfterEach
    void tearDown() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void deletesExactlyTheNamedFlowsAndTheirInFlightReplies() {
        TrackedFlow tcp = TrackedFlow.of(Protocol.TCP, ip("10.0.0.1"), 1000, ip("10.0.0.2"), 80);
        TrackedFlow bystander = TrackedFlow.of(Protocol.TCP, ip("10.0.0.1"), 1001, ip("10.0.0.2"), 80);
        TrackedFlow udp = TrackedFlow.of(Protocol.UDP, ip("10.0.0.1"), 5353, ip("10.0.0.3"), 53);
        TrackedFlow tcp6 = TrackedFlow.of(Protocol.TCP, ip("fd00::1"), 40000, ip("fd00::2"), 443);
        TrackedFlow udp6Bystander = TrackedFlow.of(Protocol.UDP, ip("fd00::1"), 40001, ip("fd00::2"), 53);
        TrackedFlow gone = TrackedFlow.of(Protocol.TCP, ip("10.0.0.9"), 9, ip("10.0.0.2"), 80);
        // a DNATed flow: its reply comes from the backend, not the VIP
        TrackedFlow dnat = new TrackedFlow(Protocol.TCP, new TrackedFlow.Tuple(ip("10.0.0.1"), ip("10.96.0.10"),
                2000, 80), new TrackedFlow.Tuple(ip("10.0.0.5"), ip("10.0.0.1"), 8080, 2000));
        ConntrackTable processes = new ConntrackTable(node);
        for (ConntrackTable table : List.of(new ConntrackTable(node, kernel.namespace(ns)), processes)) {
            insert(tcp, bystander, udp, tcp6, udp6Bystander, dnat);

            int deleted = table.deleteAll(List.of(tcp, udp, tcp6, gone, dnat));

            assertThat(deleted).as("flows that had an entry (%s)", table).isEqualTo(4);
            assertThat(originals(table.list())).as("what is left (%s)", table)
                    .containsExactlyInAnyOrder(describe(bystander), describe(udp6Bystander));

            // tcp's entry gone, an answer in flight was tracked as a new flow the other way: that goes too
            insert(new TrackedFlow(Protocol.TCP, tcp.reply(), tcp.original()));
            // (counted or not: the kernel finds an entry by either of its tuples, conntrack -D by the original only)
            table.deleteAll(List.of(tcp));
            assertThat(originals(table.list())).as("after the reply's entry (%s)", table)
                    .containsExactlyInAnyOrder(describe(bystander), describe(udp6Bystander));
            assertThat(table.deletesOverNetlink()).as("%s over netlink", table).isEqualTo(table != processes);
            flush();
        }
    }

    @Test
    void deletesThousandsInOneGo() {
        List<TrackedFlow> flows = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        for (int p = 0; p < 5000; p++) {
            TrackedFlow f = TrackedFlow.of(Protocol.UDP, ip("10.0." + (p / 250) + "." + (p % 250 + 1)), 10000 + p,
                    ip("10.1.0.1"), 53);
            flows.add(f);
            script.append(insertLine(f)).append('\n');
        }
        TrackedFlow bystander = TrackedFlow.of(Protocol.UDP, ip("10.2.0.1"), 1, ip("10.1.0.1"), 53);
        script.append(insertLine(bystander)).append('\n');
        node.run(List.of("conntrack", "-R", "-"), script.toString()).orThrow();
        assertThat(new ConntrackTable(node).list()).hasSize(5001);

        long start = System.nanoTime();
        ConntrackTable table = new ConntrackTable(node, kernel.namespace(ns));
        int deleted = table.deleteAll(flows);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(deleted).isEqualTo(5000);
        assertThat(table.deletesOverNetlink()).isTrue();
        assertThat(originals(new ConntrackTable(node).list())).containsExactly(describe(bystander));
        System.out.printf("ConntrackNetlinkKernelTest: 5,000 flows (10,000 tuples) deleted over ctnetlink in %d ms%n",
                ms);
    }

    private void insert(TrackedFlow... flows) {
        for (TrackedFlow f : flows) {
            node.run(List.of("sh", "-c", "conntrack " + insertLine(f))).orThrow();
        }
    }

    private void flush() {
        node.run(List.of("conntrack", "-F")).orThrow();
        node.run(List.of("conntrack", "-F", "-f", "ipv6")).orThrow();
    }

    /** {@code conntrack -I} arguments for the flow, seen in both directions (so it is ESTABLISHED / ASSURED). */
    private static String insertLine(TrackedFlow f) {
        String state = f.protocol() == Protocol.TCP ? " --state ESTABLISHED" : "";
        return "-I -p " + f.protocol().lower() + " -s " + f.original().src() + " -d " + f.original().dst()
                + " --sport " + f.original().sport() + " --dport " + f.original().dport()
                + " --reply-src " + f.reply().src() + " --reply-dst " + f.reply().dst()
                + " --reply-port-src " + f.reply().sport() + " --reply-port-dst " + f.reply().dport()
                + state + " -u SEEN_REPLY -t 300";
    }

    private static List<String> originals(List<TrackedFlow> flows) {
        return flows.stream().map(ConntrackNetlinkKernelTest::describe).collect(Collectors.toList());
    }

    private static String describe(TrackedFlow f) {
        return f.protocol() + " " + f.original();
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }
}
