package dev.weir.conformance;

import static dev.weir.conformance.Expectation.Peer.ANY;
import static dev.weir.conformance.Expectation.Peer.ns;
import static dev.weir.conformance.Expectation.Peer.pod;
import static dev.weir.conformance.Policies.np;

import dev.weir.explain.PortProtocol;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's "NetworkPolicy between server and client using UDP" and "... using SCTP" contexts: the same three
 * scenarios for each protocol.
 */
final class ProtocolScenarios {

    private ProtocolScenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>();
        for (Protocol p : List.of(Protocol.UDP, Protocol.SCTP)) {
            PortProtocol on80 = new PortProtocol(80, p);
            PortProtocol on81 = new PortProtocol(81, p);
            String suffix = " (" + p + ")";
            out.add(Scenario.named("should support a 'default-deny-ingress' policy" + suffix)
                    .pods("x/a", "x/b", "y/a", "y/b")
                    .apply(np("x", "deny-all", """
                            podSelector: {}
                            policyTypes: [Ingress]
                            """))
                    .expect(on80, r -> r.expectPeer(ANY, ns("x"), false)).build());
            out.add(Scenario.named("should enforce policy based on Ports" + suffix).pods("x/a", "x/b", "y/a", "z/a")
                    .apply(np("x", "allow-ingress-on-port-81-ns-x", """
                            podSelector: {matchLabels: {pod: a}}
                            policyTypes: [Ingress]
                            ingress:
                              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                                ports: [{port: 81, protocol: %s}]
                            """.formatted(p)))
                    .expect(on81, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                            .expectPeer(ns("z"), pod("x/a"), false)).build());
            out.add(Scenario.named("should enforce policy to allow traffic only from a pod in a different namespace "
                    + "based on PodSelector and NamespaceSelector" + suffix).pods("x/a", "x/b", "y/a")
                    .apply(np("x", "allow-ns-y-pod-a-via-namespace-pod-selector", """
                            podSelector: {matchLabels: {pod: a}}
                            policyTypes: [Ingress]
                            ingress:
                              - from:
                                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                                    podSelector: {matchLabels: {pod: a}}
                            """))
                    .expect(on80, r -> r.expectAllIngress("x/a", false).expect("y/a", "x/a", true)).build());
        }
        return out;
    }
}
