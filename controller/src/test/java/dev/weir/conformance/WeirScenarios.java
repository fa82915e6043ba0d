package dev.weir.conformance;

import static dev.weir.conformance.Expectation.Peer.ANY;
import static dev.weir.conformance.Expectation.Peer.ns;
import static dev.weir.conformance.Expectation.Peer.pod;
import static dev.weir.conformance.Policies.np;
import static dev.weir.conformance.Scenario.SCTP_81;
import static dev.weir.conformance.Scenario.TCP_80;
import static dev.weir.conformance.Scenario.TCP_81;
import static dev.weir.conformance.Scenario.UDP_80;
import static dev.weir.conformance.Scenario.UDP_81;

import dev.weir.explain.PortProtocol;
import dev.weir.model.Protocol;
import java.util.List;
import java.util.Map;

/**
 * Scenarios weir adds in the upstream style, for parts of the API the current upstream file does not exercise (endPort,
 * /0 ipBlocks, set-based operators, deleting one of several policies, several ports in one rule).
 */
final class WeirScenarios {

    private static final PortProtocol TCP_82 = new PortProtocol(82, Protocol.TCP);

    private WeirScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.named("should allow a port range with endPort from a namespace").source("weir")
                        .pods("x/a", "x/b", "y/a")
                        .apply(np("x", "allow-y-81-82", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                                    ports: [{port: 81, endPort: 82, protocol: TCP}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false).expect("y/a", "x/a", true))
                        .expect(TCP_82, r -> r.expectAllIngress("x/a", false).expect("y/a", "x/a", true)).build(),

                Scenario.named("should allow an egress port range with endPort only for its protocol").source("weir")
                        .pods("x/a", "y/a", "y/b")
                        .apply(np("x", "egress-udp-80-81", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - ports: [{port: 80, endPort: 81, protocol: UDP}]
                                """))
                        .expect(UDP_81, r -> r).expect(UDP_80, r -> r)
                        .expect(TCP_81, r -> r.expectAllEgress("x/a", false))
                        .expect(SCTP_81, r -> r.expectAllEgress("x/a", false)).build(),

                Scenario.named("should allow egress on a named UDP port only").source("weir").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "egress-named-udp", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress:
                                  - ports: [{port: serve-81-udp, protocol: UDP}]
                                """))
                        .expect(UDP_81, r -> r).expect(UDP_80, r -> r.expectPeer(ns("x"), ANY, false))
                        .expect(TCP_81, r -> r.expectPeer(ns("x"), ANY, false)).build(),

                Scenario.named("should not match a named port declared for another protocol").source("weir")
                        .pods("x/a", "y/a")
                        .apply(np("x", "named-tcp-name-on-udp", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: serve-80-tcp, protocol: UDP}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .expect(UDP_80, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should allow ingress from 0.0.0.0/0 except one pod").source("weir")
                        .pods("x/a", "x/b", "y/a", "z/a")
                        .apply("x/all-but-y-a", a -> np("x", "all-but-y-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: ["%s/32"]}}]
                                """.formatted(a.of("y/a"))))
                        .expect(TCP_80, r -> r.expect("y/a", "x/a", false)).build(),

                Scenario.named("should allow egress to one pod address on one port").source("weir")
                        .pods("x/a", "y/a", "y/b")
                        .apply("x/to-y-a-81", a -> np("x", "to-y-a-81", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to: [{ipBlock: {cidr: "%s/32"}}]
                                    ports: [{port: 81}]
                                """.formatted(a.of("y/a"))))
                        .expect(TCP_81, r -> r.expectAllEgress("x/a", false).expect("x/a", "y/a", true))
                        .expect(TCP_80, r -> r.expectAllEgress("x/a", false)).build(),

                Scenario.named("should isolate with a namespaceSelector that matches no namespace").source("weir")
                        .pods("x/a", "x/b", "y/a")
                        .apply(np("x", "from-nowhere", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {team: nobody}}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should leave other namespaces alone when one namespace denies all").source("weir")
                        .pods("x/a", "y/a", "z/a", "z/b")
                        .apply(np("z", "deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress, Egress]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("z"), false).expectPeer(ns("z"), ANY, false))
                        .build(),

                Scenario.named("should support Exists and DoesNotExist selectors across a relabel").source("weir")
                        .pods("x/a", "x/b", "x/c", "y/a")
                        .apply(np("x", "from-unmarked-pods", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - podSelector:
                                          matchExpressions:
                                            - {key: pod, operator: Exists}
                                            - {key: quarantined, operator: DoesNotExist}
                                """))
                        .expect(TCP_80, r -> r.expect("y/a", "x/a", false))
                        .labelPod("x/b", Map.of("quarantined", "true"))
                        .expect(TCP_80, r -> r.expect("y/a", "x/a", false).expect("x/b", "x/a", false)).build(),

                Scenario.named("should isolate again when the allowing one of two policies is deleted").source("weir")
                        .pods("x/a", "x/b", "y/a")
                        .apply(np("x", "deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                """))
                        .apply(np("x", "allow-all-to-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress: [{}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/b", false))
                        .delete("x", "allow-all-to-a")
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false)).build(),

                Scenario.named("should treat several ports of one rule as alternatives").source("weir")
                        .pods("x/a", "y/a")
                        .apply(np("x", "tcp-80-or-udp-81", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {}}]
                                    ports: [{port: 80, protocol: TCP}, {port: 81, protocol: UDP}]
                                """))
                        .expect(TCP_80, r -> r).expect(UDP_81, r -> r)
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false))
                        .expect(UDP_80, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should stop allowing a namespace whose label is changed away").source("weir")
                        .pods("x/a", "y/a", "z/a")
                        .apply(np("x", "from-team-blue", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {team: blue}}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .labelNamespace("y", Map.of("team", "blue"))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("y/a", "x/a", true))
                        .labelNamespace("y", Map.of("team", "red"))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .build(),

                Scenario.named("should require both sides when egress and ingress policies meet").source("weir")
                        .pods("x/a", "x/b", "y/a", "y/b")
                        .apply(np("x", "egress-to-y", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress:
                                  - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
                                """))
                        .apply(np("y", "ingress-from-x-b", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector: {matchLabels: {ns: x}}
                                        podSelector: {matchLabels: {pod: b}}
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), ns("x"), false).expectPeer(ANY, ns("y"), false)
                                .expectPeer(pod("x/b"), ns("y"), true)).build());
    }
}
