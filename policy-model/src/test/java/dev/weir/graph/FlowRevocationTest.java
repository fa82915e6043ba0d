package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static dev.weir.graph.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.IpAddress;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After a policy change, node n1 deletes the tracked flows of its pods that the new policies deny, judged as
 * {@code weir explain} judges them, and leaves every other flow alone.
 */
class FlowRevocationTest {

    /**
     * On n1: dev/web (10.244.1.2, admits only app=db on TCP 8080) and dev/db (10.244.1.3); on n2: dev/api
     * (10.244.2.2) and dev/vault (10.244.2.3, admits nothing).
     */
    private static final PolicyGraph GRAPH = cluster().with(ns("dev"))
            .with(pod("dev", "web").node("n1").ip("10.244.1.2").label("app", "web"))
            .with(pod("dev", "db").node("n1").ip("10.244.1.3").label("app", "db"))
            .with(pod("dev", "api").node("n2").ip("10.244.2.2").label("app", "api"))
            .with(pod("dev", "vault").node("n2").ip("10.244.2.3").label("app", "vault"))
            .with(policy("web-from-db", "dev", p -> p.select("app", "web")
                    .ingress(r -> r.peers(pods("app", "db")).ports(tcp(8080)))))
            .with(policy("vault-closed", "dev", p -> p.select("app", "vault").types(PolicyType.INGRESS)))
            .graph();

    static Stream<Arguments> flows() {
        return Stream.of(
                Arguments.of("allowed flow is kept", flow(Protocol.TCP, "10.244.1.3", "10.244.1.2", 8080), false),
                Arguments.of("denied source is revoked", flow(Protocol.TCP, "10.244.2.2", "10.244.1.2", 8080), true),
                Arguments.of("denied port is revoked", flow(Protocol.TCP, "10.244.1.3", "10.244.1.2", 9090), true),
                Arguments.of("denied protocol is revoked", flow(Protocol.UDP, "10.244.1.3", "10.244.1.2", 8080), true),
                Arguments.of("denied SCTP flow is revoked", flow(Protocol.SCTP, "10.244.2.2", "10.244.1.2", 8080),
                        true),
                Arguments.of("denied flow of another node's pods is left to that node",
                        flow(Protocol.TCP, "10.244.2.2", "10.244.2.3", 80), false),
                Arguments.of("a local pod as source, denied at the destination's ingress, is revoked",
                        flow(Protocol.TCP, "10.244.1.3", "10.244.2.3", 80), true),
                Arguments.of("a local pod's egress to an outside address (no egress policy) is kept",
                        flow(Protocol.UDP, "10.244.1.2", "8.8.8.8", 53), false),
                Arguments.of("an outside client denied by web's ingress is revoked",
                        flow(Protocol.TCP, "203.0.113.5", "10.244.1.2", 8080), true),
                Arguments.of("through a Service, judged at the backend the reply comes from: denied",
                        natted("10.244.2.2", 41000, "10.96.0.10", 80, "10.244.1.2", 8080), true),
                Arguments.of("through a Service, judged at the backend the reply comes from: allowed",
                        natted("10.244.1.3", 41000, "10.96.0.10", 80, "10.244.1.2", 8080), false),
                Arguments.of("the node's own connection is not weir's",
                        flow(Protocol.TCP, "192.168.0.1", "192.168.0.2", 22), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void revokesExactlyTheFlowsTheNewPoliciesDeny(String name, TrackedFlow flow, boolean revoked) {
        List<TrackedFlow> denied = FlowRevocation.denied(GRAPH, "n1", List.of(flow));
        assertThat(denied).as(name).isEqualTo(revoked ? List.of(flow) : List.of());
    }

    @org.junit.jupiter.api.Test
    void keepsTheOrderOfTheTableAndOnlyTheDeniedEntries() {
        TrackedFlow allowed = flow(Protocol.TCP, "10.244.1.3", "10.244.1.2", 8080);
        TrackedFlow a = flow(Protocol.TCP, "10.244.2.2", "10.244.1.2", 8080);
        TrackedFlow b = flow(Protocol.TCP, "10.244.1.3", "10.244.1.2", 22);
        assertThat(FlowRevocation.denied(GRAPH, "n1", List.of(a, allowed, b))).containsExactly(a, b);
    }

    private static TrackedFlow flow(Protocol protocol, String src, String dst, int dport) {
        return TrackedFlow.of(protocol, IpAddress.parse(src), 40000, IpAddress.parse(dst), dport);
    }

    /** A connection to a Service address that DNAT sent to {@code backend}: conntrack's reply tuple names it. */
    private static TrackedFlow natted(String src, int sport, String vip, int vport, String backend, int bport) {
        IpAddress s = IpAddress.parse(src);
        IpAddress b = IpAddress.parse(backend);
        return new TrackedFlow(Protocol.TCP, new TrackedFlow.Tuple(s, IpAddress.parse(vip), sport, vport),
                new TrackedFlow.Tuple(b, s, bport, sport));
    }
}
