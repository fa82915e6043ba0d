package dev.weir.iptables.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.graph.TrackedFlow;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code conntrack -L} text as conntrack-tools 1.4.7 prints it, and the exact-tuple delete. */
class ConntrackTableTest {

    /** Captured in a network namespace (the TCP lines), plus a Service's DNAT, SCTP and ICMP in the same format. */
    private static final String LISTING = """
            tcp      6 431999 ESTABLISHED src=10.9.0.1 dst=10.9.0.1 sport=45570 dport=8080 src=10.9.0.1 dst=10.9.0.1 \
            sport=8080 dport=45570 [ASSURED] mark=0 use=1
            udp      17 29 src=10.9.0.1 dst=10.9.0.1 sport=60467 dport=53 [UNREPLIED] src=10.9.0.1 dst=10.9.0.1 \
            sport=53 dport=60467 mark=0 use=1
            tcp      6 431999 ESTABLISHED src=fd00::1 dst=fd00::1 sport=53426 dport=8443 src=fd00::1 dst=fd00::1 \
            sport=8443 dport=53426 [ASSURED] mark=0 use=1
            tcp      6 86399 ESTABLISHED src=10.244.1.3 dst=10.96.0.10 sport=41000 dport=80 src=10.244.2.2 \
            dst=10.244.1.3 sport=8080 dport=41000 [ASSURED] mark=0 zone=0 use=1
            sctp     132 431999 ESTABLISHED src=10.244.1.3 dst=10.244.2.2 sport=5000 dport=9000 src=10.244.2.2 \
            dst=10.244.1.3 sport=9000 dport=5000 [ASSURED] mark=0 use=1
            icmp     1 29 src=10.244.1.3 dst=10.244.2.2 type=8 code=0 id=7 src=10.244.2.2 dst=10.244.1.3 type=0 \
            code=0 id=7 mark=0 use=1
            """;

    @Test
    void parsesBothTuplesOfTcpUdpAndSctpInBothFamiliesAndSkipsTheRest() {
        List<TrackedFlow> flows = ConntrackTable.parse(LISTING);
        assertThat(flows).hasSize(5);
        assertThat(flows.get(0)).isEqualTo(TrackedFlow.of(Protocol.TCP, ip("10.9.0.1"), 45570, ip("10.9.0.1"), 8080));
        assertThat(flows.get(1)).isEqualTo(TrackedFlow.of(Protocol.UDP, ip("10.9.0.1"), 60467, ip("10.9.0.1"), 53));
        assertThat(flows.get(2)).isEqualTo(TrackedFlow.of(Protocol.TCP, ip("fd00::1"), 53426, ip("fd00::1"), 8443));
        TrackedFlow service = flows.get(3);
        assertThat(service.original()).isEqualTo(new TrackedFlow.Tuple(ip("10.244.1.3"), ip("10.96.0.10"), 41000, 80));
        assertThat(service.judgedDestination()).isEqualTo(ip("10.244.2.2"));
        assertThat(service.judgedPort()).isEqualTo(8080);
        assertThat(flows.get(4).protocol()).isEqualTo(Protocol.SCTP);
    }

    @Test
    void tcpConnectionsThatHaveEndedAreNotListed() {
        List<TrackedFlow> flows = ConntrackTable.parse("""
                tcp      6 117 TIME_WAIT src=10.244.1.2 dst=10.244.2.3 sport=40000 dport=80 src=10.244.2.3 \
                dst=10.244.1.2 sport=80 dport=40000 [ASSURED] mark=0 use=1
                tcp      6 9 CLOSE src=10.244.1.2 dst=10.244.2.3 sport=40001 dport=80 src=10.244.2.3 \
                dst=10.244.1.2 sport=80 dport=40001 mark=0 use=1
                tcp      6 59 CLOSE_WAIT src=10.244.1.2 dst=10.244.2.3 sport=40002 dport=80 src=10.244.2.3 \
                dst=10.244.1.2 sport=80 dport=40002 [ASSURED] mark=0 use=1
                """);
        assertThat(flows).containsExactly(TrackedFlow.of(Protocol.TCP, ip("10.244.1.2"), 40002, ip("10.244.2.3"), 80));
    }

    @Test
    void anEmptyTableHasNoFlows() {
        assertThat(ConntrackTable.parse("")).isEmpty();
    }

    @Test
    void listsBothFamiliesAndDeletesByTheExactTuplesOfBothDirections() {
        RecordingCommandRunner runner = new RecordingCommandRunner().respond(c -> RecordingCommandRunner.result(c, 0,
                c.argv().contains("ipv4") ? LISTING.lines().findFirst().orElseThrow() : "", ""));
        ConntrackTable table = new ConntrackTable(runner);
        List<TrackedFlow> flows = table.list();
        assertThat(flows).hasSize(1);
        assertThat(table.delete(flows.get(0))).isTrue();
        assertThat(runner.lines()).containsExactly("conntrack -L -f ipv4", "conntrack -L -f ipv6",
                "conntrack -D -p tcp -s 10.9.0.1 -d 10.9.0.1 --sport 45570 --dport 8080",
                "conntrack -D -p tcp -s 10.9.0.1 -d 10.9.0.1 --sport 8080 --dport 45570");
    }

    @Test
    void aFlowThatEndedMeanwhileIsNotAnError() {
        RecordingCommandRunner runner = new RecordingCommandRunner()
                .failNext(1, "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.");
        TrackedFlow flow = TrackedFlow.of(Protocol.UDP, ip("10.9.0.1"), 1, ip("10.9.0.2"), 53);
        assertThat(new ConntrackTable(runner).delete(flow)).isFalse();
        runner.failNext(2, "conntrack: Operation not permitted");
        assertThatThrownBy(() -> new ConntrackTable(runner).delete(flow)).isInstanceOf(ApplyException.class);
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }
}
