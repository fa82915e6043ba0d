package dev.weir.conformance;

import static dev.weir.conformance.Expectation.Peer.ANY;
import static dev.weir.conformance.Expectation.Peer.ns;
import static dev.weir.conformance.Expectation.Peer.pod;
import static dev.weir.conformance.Policies.cnp;
import static dev.weir.conformance.Policies.np;
import static dev.weir.conformance.Scenario.TCP_80;
import static dev.weir.conformance.Scenario.TCP_81;
import static dev.weir.conformance.Scenario.UDP_80;

import java.util.List;

/**
 * ClusterNetworkPolicy scenarios after upstream network-policy-api's {@code conformance/tests} (priority field, gress
 * rules across protocols, the admin / NetworkPolicy / baseline integration, egress networks, named ports), rewritten
 * for the netpol model's namespaces: x stands for gryffindor, y for slytherin, z for hufflepuff. Scenarios whose
 * source is {@code weir} check weir's documented choices (same-priority tie-break, Pass in the Baseline tier).
 */
final class ClusterPolicyScenarios {

    private static final String SOURCE = "network-policy-api";
    private static final String[] PODS = {"x/a", "x/b", "y/a", "y/b", "z/a"};

    private ClusterPolicyScenarios() {
    }

    private static Scenario.Builder scenario(String name) {
        return Scenario.named("cnp: " + name).source(SOURCE).pods(PODS);
    }

    static List<Scenario> all() {
        return List.of(
                scenario("the lower priority value wins within the Admin tier")
                        .applyClusterPolicy(cnp("priority-50", """
                                tier: Admin
                                priority: 50
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress:
                                  - name: deny-from-y
                                    action: Deny
                                    from: [{namespaces: {matchLabels: {ns: y}}}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false))
                        .applyClusterPolicy(cnp("priority-20", """
                                tier: Admin
                                priority: 20
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress:
                                  - name: accept-from-y
                                    action: Accept
                                    from: [{namespaces: {matchLabels: {ns: y}}}]
                                """))
                        .expect(TCP_80, r -> r)
                        .deleteClusterPolicy("priority-20")
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false)).build(),

                scenario("same priority: weir decides by policy name").source("weir")
                        .applyClusterPolicy(cnp("b-accept", """
                                tier: Admin
                                priority: 7
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Accept, from: [{namespaces: {}}]}]
                                """))
                        .applyClusterPolicy(cnp("a-deny", """
                                tier: Admin
                                priority: 7
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: z}}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("z"), ns("x"), false)).build(),

                scenario("an Admin Deny is final: a NetworkPolicy allowing the traffic does not re-open it")
                        .apply(np("x", "allow-all-ingress", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: [{}]
                                """))
                        .applyClusterPolicy(cnp("deny-y-to-x", """
                                tier: Admin
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false)).build(),

                scenario("an Admin Accept is final: it opens traffic a NetworkPolicy denies")
                        .apply(np("x", "deny-all-ingress", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false))
                        .applyClusterPolicy(cnp("accept-y-to-x", """
                                tier: Admin
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Accept, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false).expectPeer(ns("y"), ns("x"), true))
                        .build(),

                scenario("Pass hands the decision to NetworkPolicy, then to the Baseline tier")
                        .applyClusterPolicy(cnp("pass-y", """
                                tier: Admin
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Pass, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        .applyClusterPolicy(cnp("deny-y", """
                                tier: Admin
                                priority: 20
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        .apply(np("x", "allow-from-y-a", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]
                                """))
                        // NetworkPolicy decides passed traffic (y/a allowed, y/b not) and everything else into x
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false).expectPeer(pod("y/a"), ns("x"), true))
                        .delete("x", "allow-from-y-a")
                        .applyClusterPolicy(cnp("baseline-deny-y", """
                                tier: Baseline
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        // no NetworkPolicy: passed traffic reaches the Baseline tier
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false))
                        .deleteClusterPolicy("baseline-deny-y")
                        .expect(TCP_80, r -> r)
                        .deleteClusterPolicy("pass-y")
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false)).build(),

                scenario("a NetworkPolicy selecting the pod replaces the Baseline tier")
                        .applyClusterPolicy(cnp("baseline-deny-all", """
                                tier: Baseline
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress: [{action: Deny, from: [{namespaces: {}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false))
                        .apply(np("x", "allow-from-z", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: z}}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false).expect("z/a", "x/a", true)).build(),

                scenario("Pass in the Baseline tier ends it: the default allows").source("weir")
                        .applyClusterPolicy(cnp("a-pass", """
                                tier: Baseline
                                priority: 1
                                subject: {namespaces: {}}
                                ingress: [{action: Pass, from: [{namespaces: {matchLabels: {ns: y}}}]}]
                                """))
                        .applyClusterPolicy(cnp("b-deny", """
                                tier: Baseline
                                priority: 2
                                subject: {namespaces: {}}
                                ingress: [{action: Deny, from: [{namespaces: {}}]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ANY, false).expectPeer(ns("y"), ANY, true)).build(),

                scenario("egress rules are judged at the source, per protocol and port")
                        .applyClusterPolicy(cnp("gress-rules", """
                                tier: Admin
                                priority: 15
                                subject: {pods: {namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}}
                                egress:
                                  - name: deny-tcp-80-to-y
                                    action: Deny
                                    to: [{namespaces: {matchLabels: {ns: y}}}]
                                    protocols: [{tcp: {destinationPort: {number: 80}}}]
                                  - name: accept-the-rest-to-y
                                    action: Accept
                                    to: [{namespaces: {matchLabels: {ns: y}}}]
                                ingress:
                                  - name: deny-udp-from-z
                                    action: Deny
                                    from: [{pods: {namespaceSelector: {matchLabels: {ns: z}}, podSelector: {}}}]
                                    protocols: [{udp: {destinationPort: {range: {start: 53, end: 80}}}}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(pod("x/a"), ns("y"), false))
                        .expect(TCP_81, r -> r)
                        .expect(UDP_80, r -> r.expect("z/a", "x/a", false)).build(),

                scenario("egress networks match pod addresses")
                        .applyClusterPolicy("deny-to-y-a", a -> cnp("deny-to-y-a", """
                                tier: Admin
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                egress: [{action: Deny, to: [{networks: [%s/32]}]}]
                                """.formatted(a.of("y/a"))))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("y/a"), false)).build(),

                scenario("named ports resolve on the destination pod")
                        .applyClusterPolicy(cnp("deny-named", """
                                tier: Admin
                                priority: 10
                                subject: {namespaces: {matchLabels: {ns: x}}}
                                ingress:
                                  - action: Deny
                                    from: [{namespaces: {matchLabels: {ns: y}}}]
                                    protocols: [{destinationNamedPort: serve-80-tcp}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false))
                        .expect(TCP_81, r -> r)
                        .expect(UDP_80, r -> r).build());
    }
}
