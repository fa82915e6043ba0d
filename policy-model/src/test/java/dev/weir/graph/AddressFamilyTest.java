package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ipBlock;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.IpFamily;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ipBlock peers, IPv6 and dual-stack. */
class AddressFamilyTest {

    private static Cluster fromBlock(Peer.IpBlock block, String clientIp) {
        return cluster().with(pod("default", "client").ip(clientIp))
                .with(pod("default", "server").label("app", "s").ip("10.9.0.1"))
                .with(policy("p", "default", p -> p.select("app", "s").ingressFrom(block)));
    }

    static Stream<Arguments> exceptEdges() {
        Peer.IpBlock block = ipBlock("10.0.0.0/16", "10.0.1.0/24");
        return Stream.of(
                Arguments.of("inside the cidr", block, "10.0.0.7", true),
                Arguments.of("first address of the cidr", block, "10.0.0.0", true),
                Arguments.of("last address of the cidr", block, "10.0.255.255", true),
                Arguments.of("just below the except", block, "10.0.0.255", true),
                Arguments.of("first address of the except", block, "10.0.1.0", false),
                Arguments.of("last address of the except", block, "10.0.1.255", false),
                Arguments.of("just above the except", block, "10.0.2.0", true),
                Arguments.of("outside the cidr", block, "10.1.0.0", false),
                Arguments.of("/0 matches every v4 address", ipBlock("0.0.0.0/0"), "203.0.113.9", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exceptEdges")
    void ipBlockIsCidrMinusExcepts(String name, Peer.IpBlock block, String clientIp, boolean allowed) {
        assertThat(fromBlock(block, clientIp).allows("default/client", "default/server", 80)).isEqualTo(allowed);
    }

    @Test
    void ipBlockMatchesPodAddressesToo() {
        Cluster c = fromBlock(ipBlock("10.0.0.0/8"), "10.2.3.4");
        assertThat(c.allows("default/client", "default/server", 80)).isTrue();
    }

    @Test
    void ipv6IpBlockMatchesAnIpv6Pod() {
        Cluster c = cluster().with(pod("default", "client").ip("fd00:1::5"))
                .with(pod("default", "server").label("app", "s").ip("fd00:2::1"))
                .with(policy("p", "default", p -> p.select("app", "s").ingressFrom(ipBlock("fd00:1::/64"))));
        assertThat(c.allows("default/client", "default/server", 80)).isTrue();
    }

    @Test
    void v4IpBlockNeverMatchesAV6Packet() {
        Cluster c = cluster().with(pod("default", "client").ip("10.0.0.5", "fd00:1::5"))
                .with(pod("default", "server").label("app", "s").ip("10.0.0.9", "fd00:2::1"))
                .with(policy("p", "default", p -> p.select("app", "s").ingressFrom(ipBlock("0.0.0.0/0"))));
        assertThat(c.allows("default/client", "default/server", 80, Protocol.TCP, IpFamily.V4)).isTrue();
        assertThat(c.allows("default/client", "default/server", 80, Protocol.TCP, IpFamily.V6)).isFalse();
    }

    @Test
    void dualStackPodSelectorPeerMatchesInBothFamilies() {
        Cluster c = cluster().with(pod("default", "client").label("app", "c").ip("10.0.0.5", "fd00:1::5"))
                .with(pod("default", "server").label("app", "s").ip("10.0.0.9", "fd00:2::1"))
                .with(policy("p", "default", p -> p.select("app", "s").ingressFrom(pods("app", "c"))));
        assertThat(c.allows("default/client", "default/server", 80, Protocol.TCP, IpFamily.V4)).isTrue();
        assertThat(c.allows("default/client", "default/server", 80, Protocol.TCP, IpFamily.V6)).isTrue();
    }

    @Test
    void egressIpBlockJudgesTheDestinationAddress() {
        Cluster c = cluster().with(pod("default", "client").label("app", "c").ip("10.0.0.5"))
                .with(pod("default", "in").ip("10.3.0.1")).with(pod("default", "out").ip("10.4.0.1"))
                .with(policy("p", "default", p -> p.select("app", "c").types(PolicyType.EGRESS)
                        .egressTo(ipBlock("10.3.0.0/16"))));
        assertThat(c.allows("default/client", "default/in", 80)).isTrue();
        assertThat(c.allows("default/client", "default/out", 80)).isFalse();
    }

    @Test
    void equalIpBlocksShareOneSet() {
        PolicyGraph g = cluster()
                .with(policy("p1", "default", p -> p.ingressFrom(ipBlock("10.0.0.1/16", "10.0.2.0/24", "10.0.1.0/24"))))
                .with(policy("p2", "default", p -> p.ingressFrom(ipBlock("10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24"))))
                .graph();
        assertThat(g.ipBlockSets()).hasSize(1);
        assertThat(g.ipBlockSets().values().iterator().next().canonical())
                .isEqualTo("10.0.0.0/16 except 10.0.1.0/24,10.0.2.0/24");
    }
}
