package dev.weir.iptables.render;

import static dev.weir.iptables.render.PacketPathCluster.CLIENT;
import static dev.weir.iptables.render.PacketPathCluster.PORT;
import static dev.weir.iptables.render.PacketPathCluster.SERVER;
import static dev.weir.iptables.render.PacketPathCluster.SERVER_KEY;
import static dev.weir.iptables.render.PacketPathCluster.SERVER_NODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Netfilter.Outcome;
import dev.weir.iptables.render.Netfilter.Packet;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How many rules a packet meets on the receiving node of {@link PacketPathCluster} (issue 14's packet path), counted by
 * running the rendered ruleset through the {@link Netfilter} model: every rule examined in every weir chain the packet
 * enters, matched or not. A remote client's new connection to a local server, a later packet of it, the server's
 * reply, and a denied SYN; at growing numbers of local pods and policies, with and without the established-flow fast
 * path.
 */
class PacketWalkTest {

    /** The interface a packet from another node arrives by (the node's uplink; no pod's). */
    private static final String UPLINK = "eth0";

    record Walk(int syn, int established, int reply, int denied) {
    }

    /**
     * The walks with the established-flow fast path on ({@code fastPath}) or off (the layout before it): a later
     * packet of the client's connection and the server's reply carry the conntrack mark the SYN left, as the kernel
     * keeps it on the connection.
     */
    static Walk walk(PacketPathCluster cluster, boolean fastPath) {
        PolicyGraph graph = cluster.graph();
        RenderOptions options = fastPath ? RenderOptions.defaults() : RenderOptions.defaults().withConnMark(0);
        Ruleset rules = IptablesRenderer.render(graph, SERVER_NODE, options, cluster.localNetwork(SERVER_NODE));
        Netfilter nf = new Netfilter(rules);
        IpAddress client = IpAddress.parse(CLIENT);
        IpAddress server = IpAddress.parse(SERVER);
        Packet in = new Packet(client, server, Protocol.TCP, PORT, UPLINK, null);
        assertThat(nf.traverse("FORWARD", in)).as("the client's SYN").isEqualTo(Outcome.ACCEPT);
        int syn = nf.evaluated();
        int connMark = nf.connMark();
        assertThat(connMark).as("the admitted connection's conntrack mark")
                .isEqualTo(fastPath ? RenderOptions.DEFAULT_CONN_MARK : 0);
        assertThat(nf.traverse("FORWARD", in, true, connMark)).as("a later packet").isEqualTo(Outcome.ACCEPT);
        int established = nf.evaluated();
        Packet out = new Packet(server, client, Protocol.TCP, 40000,
                PacketPathCluster.interfaceOf(SERVER_KEY), null);
        // the server's egress is not judged: without the fast path its reply returns to the host's rules; with it,
        // the reply of a connection weir admitted is accepted as its other packets are
        assertThat(nf.traverse("FORWARD", out, true, connMark)).as("the server's reply")
                .isEqualTo(fastPath ? Outcome.ACCEPT : Outcome.RETURN);
        int reply = nf.evaluated();
        assertThat(nf.traverse("FORWARD", out, true, 0)).as("an established packet of a connection weir did not "
                + "admit keeps its path").isEqualTo(Outcome.RETURN);
        Packet other = new Packet(IpAddress.parse("10.249.0.10"), server, Protocol.TCP, PORT, UPLINK, null);
        assertThat(nf.traverse("FORWARD", other)).as("a remote pod's SYN").isEqualTo(Outcome.DROP);
        assertThat(nf.connMark()).as("a denied connection's conntrack mark").isZero();
        return new Walk(syn, established, reply, nf.evaluated());
    }

    @Test
    void theFastPathAcceptsAnAdmittedConnectionsLaterPacketsAfterTheAntiSpoofingChecks() {
        PacketPathCluster c = new PacketPathCluster(5000, 110, 50);
        Walk before = walk(c, false);
        Walk now = walk(c, true);

        assertThat(now.syn()).as("a SYN meets two more rules: the fast path's, and the mark it sets")
                .isEqualTo(before.syn() + 2);
        assertThat(now.denied()).isEqualTo(before.denied() + 1);
        // the packets of an admitted connection: the anti-spoofing tree (a remote packet meets one rule per interface
        // kind; the server's reply the branches down to its own checks), then the fast path; no dispatch tree and no
        // endpoint chain
        assertThat(now.established()).isLessThanOrEqualTo(5).isLessThan(before.established());
        assertThat(now.reply()).isLessThan(before.reply());
    }

    @Test
    void rulesAPacketMeetsOnTheReceivingNode() {
        StringBuilder table = new StringBuilder("| local pods | policies | selecting the server | fast path | SYN "
                + "| later packet | reply | denied SYN |\n|---|---|---|---|---|---|---|---|\n");
        for (PacketPathCluster c : new PacketPathCluster[] {new PacketPathCluster(100, 20, 10),
            new PacketPathCluster(5000, 20, 50), new PacketPathCluster(5000, 110, 10),
            new PacketPathCluster(5000, 110, 50), new PacketPathCluster(5000, 240, 50)}) {
            for (boolean fastPath : new boolean[] {false, true}) {
                Walk w = walk(c, fastPath);
                table.append(String.format(Locale.ROOT, "| %d | %,d | %d | %s | %d | %d | %d | %d |%n", c.localPods(),
                        c.policies(), c.selecting(), fastPath ? "yes" : "no", w.syn(), w.established(), w.reply(),
                        w.denied()));
            }
        }
        System.out.println(table);
    }
}
