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
 * reply, and a denied SYN; at growing numbers of local pods and policies.
 */
class PacketWalkTest {

    /** The interface a packet from another node arrives by (the node's uplink; no pod's). */
    private static final String UPLINK = "eth0";

    record Walk(int syn, int established, int reply, int denied) {
    }

    static Walk walk(PacketPathCluster cluster) {
        PolicyGraph graph = cluster.graph();
        Ruleset rules = IptablesRenderer.render(graph, SERVER_NODE, RenderOptions.defaults(),
                cluster.localNetwork(SERVER_NODE));
        Netfilter nf = new Netfilter(rules);
        IpAddress client = IpAddress.parse(CLIENT);
        IpAddress server = IpAddress.parse(SERVER);
        Packet in = new Packet(client, server, Protocol.TCP, PORT, UPLINK, null);
        assertThat(nf.traverse("FORWARD", in)).as("the client's SYN").isEqualTo(Outcome.ACCEPT);
        int syn = nf.evaluated();
        assertThat(nf.traverse("FORWARD", in, true)).as("a later packet").isEqualTo(Outcome.ACCEPT);
        int established = nf.evaluated();
        Packet out = new Packet(server, client, Protocol.TCP, 40000,
                PacketPathCluster.interfaceOf(SERVER_KEY), null);
        assertThat(nf.traverse("FORWARD", out, true)).as("the server's reply (its egress is not judged)")
                .isEqualTo(Outcome.RETURN);
        int reply = nf.evaluated();
        Packet other = new Packet(IpAddress.parse("10.249.0.10"), server, Protocol.TCP, PORT, UPLINK, null);
        assertThat(nf.traverse("FORWARD", other)).as("a remote pod's SYN").isEqualTo(Outcome.DROP);
        return new Walk(syn, established, reply, nf.evaluated());
    }

    @Test
    void rulesAPacketMeetsOnTheReceivingNode() {
        StringBuilder table = new StringBuilder("| local pods | policies | selecting the server | SYN | later packet "
                + "| reply | denied SYN |\n|---|---|---|---|---|---|---|\n");
        for (PacketPathCluster c : new PacketPathCluster[] {new PacketPathCluster(100, 20, 10),
            new PacketPathCluster(5000, 20, 50), new PacketPathCluster(5000, 110, 10),
            new PacketPathCluster(5000, 110, 50), new PacketPathCluster(5000, 240, 50)}) {
            Walk w = walk(c);
            table.append(String.format(Locale.ROOT, "| %d | %,d | %d | %d | %d | %d | %d |%n", c.localPods(),
                    c.policies(), c.selecting(), w.syn(), w.established(), w.reply(), w.denied()));
        }
        System.out.println(table);
    }
}
