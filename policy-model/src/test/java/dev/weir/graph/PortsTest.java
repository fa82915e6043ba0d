package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.anyPort;
import static dev.weir.graph.Fixtures.named;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static dev.weir.graph.Fixtures.range;
import static dev.weir.graph.Fixtures.sctp;
import static dev.weir.graph.Fixtures.tcp;
import static dev.weir.graph.Fixtures.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ports of a rule: numbers, ranges, names, protocols. */
class PortsTest {

    private static Cluster targetAllowingPorts(PortMatch... ports) {
        return cluster().with(pod("default", "client")).with(pod("default", "server").label("app", "s")
                        .port("http", 8080, Protocol.TCP).port("dns", 53, Protocol.UDP))
                .with(policy("p", "default", p -> p.select("app", "s").ingress(r -> r.ports(ports))));
    }

    static Stream<Arguments> portTable() {
        return Stream.of(
                Arguments.of("single TCP port", tcp(80), 80, Protocol.TCP, true),
                Arguments.of("single TCP port, other port", tcp(80), 81, Protocol.TCP, false),
                Arguments.of("TCP port does not admit UDP", tcp(80), 80, Protocol.UDP, false),
                Arguments.of("UDP port", udp(53), 53, Protocol.UDP, true),
                Arguments.of("UDP port does not admit TCP", udp(53), 53, Protocol.TCP, false),
                Arguments.of("SCTP port", sctp(9000), 9000, Protocol.SCTP, true),
                Arguments.of("SCTP port does not admit TCP", sctp(9000), 9000, Protocol.TCP, false),
                Arguments.of("endPort range, first edge", range(Protocol.TCP, 8000, 8010), 8000, Protocol.TCP, true),
                Arguments.of("endPort range, last edge", range(Protocol.TCP, 8000, 8010), 8010, Protocol.TCP, true),
                Arguments.of("endPort range, below", range(Protocol.TCP, 8000, 8010), 7999, Protocol.TCP, false),
                Arguments.of("endPort range, above", range(Protocol.TCP, 8000, 8010), 8011, Protocol.TCP, false),
                Arguments.of("protocol only: any UDP port", anyPort(Protocol.UDP), 12345, Protocol.UDP, true),
                Arguments.of("protocol only: not TCP", anyPort(Protocol.UDP), 12345, Protocol.TCP, false),
                Arguments.of("named port resolves on the server", named("http"), 8080, Protocol.TCP, true),
                Arguments.of("named port: not the name's literal number elsewhere", named("http"), 80, Protocol.TCP,
                        false),
                Arguments.of("named port with the wrong protocol", new PortMatch.Named(Protocol.TCP, "dns"), 53,
                        Protocol.TCP, false),
                Arguments.of("named UDP port", new PortMatch.Named(Protocol.UDP, "dns"), 53, Protocol.UDP, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portTable")
    void portEntryMatchesOnlyWhatItSays(String name, PortMatch match, int port, Protocol protocol, boolean allowed) {
        assertThat(targetAllowingPorts(match).allows("default/client", "default/server", port, protocol))
                .isEqualTo(allowed);
    }

    @Test
    void portEntriesRequireAProtocolSoTheTranslatorMustApplyTheTcpDefault() {
        // the API defaults an omitted protocol to TCP; controller's ModelTranslator applies it. The model refuses to
        // guess, so a translator that forgot would fail loudly instead of matching the wrong protocol.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PortMatch.Range(null, 80, 80))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("protocol");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PortMatch.Named(null, "http"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("protocol");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PortMatch.AllPorts(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("protocol");
    }

    @Test
    void severalPortEntriesAreOred() {
        Cluster c = targetAllowingPorts(tcp(80), udp(53));
        assertThat(c.allows("default/client", "default/server", 80, Protocol.TCP)).isTrue();
        assertThat(c.allows("default/client", "default/server", 53, Protocol.UDP)).isTrue();
        assertThat(c.allows("default/client", "default/server", 53, Protocol.TCP)).isFalse();
    }

    @Test
    void namedPortResolvesPerDestinationPod() {
        Cluster c = cluster().with(pod("default", "client"))
                .with(pod("default", "s1").label("app", "s").port("http", 8080, Protocol.TCP))
                .with(pod("default", "s2").label("app", "s").port("http", 9090, Protocol.TCP))
                .with(pod("default", "s3").label("app", "s"))
                .with(policy("p", "default", p -> p.select("app", "s").ingress(r -> r.ports(named("http")))));
        assertThat(c.allows("default/client", "default/s1", 8080)).isTrue();
        assertThat(c.allows("default/client", "default/s1", 9090)).isFalse();
        assertThat(c.allows("default/client", "default/s2", 9090)).isTrue();
        assertThat(c.allows("default/client", "default/s2", 8080)).isFalse();
        // a pod without the name matches no port through it
        assertThat(c.allows("default/client", "default/s3", 8080)).isFalse();
        assertThat(c.allows("default/client", "default/s3", 9090)).isFalse();
    }

    @Test
    void egressNamedPortResolvesOnThePeerPod() {
        Cluster c = cluster().with(pod("default", "client").label("app", "c").port("http", 1111, Protocol.TCP))
                .with(pod("default", "s1").label("app", "s").port("http", 8080, Protocol.TCP))
                .with(pod("default", "s2").label("app", "s").port("http", 9090, Protocol.TCP))
                .with(policy("p", "default", p -> p.select("app", "c").types(PolicyType.EGRESS)
                        .egress(r -> r.peers(pods("app", "s")).ports(named("http")))));
        assertThat(c.allows("default/client", "default/s1", 8080)).isTrue();
        assertThat(c.allows("default/client", "default/s2", 9090)).isTrue();
        assertThat(c.allows("default/client", "default/s2", 8080)).isFalse();
        // not the client's own definition of the name
        assertThat(c.allows("default/client", "default/s1", 1111)).isFalse();
    }

    @Test
    void peersAndPortsOfOneRuleAreAnded() {
        Cluster c = cluster().with(pod("default", "a").label("app", "a")).with(pod("default", "b"))
                .with(pod("default", "server").label("app", "s"))
                .with(policy("p", "default", p -> p.select("app", "s")
                        .ingress(r -> r.peers(pods("app", "a")).ports(tcp(80)))));
        assertThat(c.allows("default/a", "default/server", 80)).isTrue();
        assertThat(c.allows("default/a", "default/server", 81)).isFalse();
        assertThat(c.allows("default/b", "default/server", 80)).isFalse();
    }
}
