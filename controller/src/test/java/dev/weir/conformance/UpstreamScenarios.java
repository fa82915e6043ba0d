package dev.weir.conformance;

import static dev.weir.conformance.Expectation.Peer.ANY;
import static dev.weir.conformance.Expectation.Peer.ns;
import static dev.weir.conformance.Expectation.Peer.pod;
import static dev.weir.conformance.Policies.np;
import static dev.weir.conformance.Scenario.TCP_80;
import static dev.weir.conformance.Scenario.TCP_81;
import static dev.weir.conformance.Scenario.UDP_80;

import java.util.List;
import java.util.Map;

/**
 * The scenarios of upstream's {@code test/e2e/network/netpol/network_policy.go} ("NetworkPolicy between server and
 * client"), in its order, with its pods, policies and expected tables. Upstream builds policies with
 * {@code SetSpecIngressRules}/{@code SetSpecEgressRules}, which also add the matching policyType; the YAML below
 * spells those types out.
 */
final class UpstreamScenarios {

    private UpstreamScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.named("should support a 'default-deny-ingress' policy").pods("x/a", "x/b", "y/a", "y/b")
                        .apply(np("x", "deny-ingress", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: []
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false)).build(),

                Scenario.named("should support a 'default-deny-all' policy").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress, Egress]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false).expectPeer(ns("x"), ANY, false))
                        .build(),

                Scenario.named("should enforce policy to allow traffic from pods within server namespace based on "
                        + "PodSelector").pods("x/a", "x/b", "x/c", "y/a")
                        .apply(np("x", "x-a-allows-x-b", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{podSelector: {matchLabels: {pod: b}}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("x/b", "x/a", true)).build(),

                Scenario.named("should enforce policy to allow ingress traffic for a target").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                """))
                        .apply(np("x", "allow-all-to-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{podSelector: {}, namespaceSelector: {}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", true).expectAllIngress("x/b", false)).build(),

                Scenario.named("should enforce policy to allow ingress traffic from pods in all namespaces")
                        .pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-from-another-ns", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {}}}]
                                """))
                        .expect(TCP_80, r -> r).build(),

                Scenario.named("should enforce policy to allow traffic only from a different namespace, based on "
                        + "NamespaceSelector").pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-client-a-via-ns-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("z"), pod("x/a"), false)).build(),

                Scenario.named("should enforce policy based on PodSelector with MatchExpressions")
                        .pods("x/a", "x/b", "y/a")
                        .apply(np("x", "x-a-allows-x-b", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("x/b", "x/a", true)).build(),

                Scenario.named("should enforce policy based on NamespaceSelector with MatchExpressions")
                        .pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-ns-y-match-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector:
                                          matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [y]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("z"), pod("x/a"), false)).build(),

                Scenario.named("should enforce policy based on PodSelector or NamespaceSelector")
                        .pods("x/a", "x/b", "x/c", "y/a")
                        .apply(np("x", "allow-ns-y-match-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector:
                                          matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]
                                      - podSelector: {matchLabels: {pod: b}}
                                """))
                        .expect(TCP_80, r -> r.expect("x/a", "x/a", false).expect("x/c", "x/a", false)).build(),

                Scenario.named("should enforce policy based on PodSelector and NamespaceSelector")
                        .pods("x/a", "x/b", "y/a", "y/b", "z/b")
                        .apply(np("x", "allow-ns-y-podselector-and-nsselector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector:
                                          matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]
                                        podSelector: {matchLabels: {pod: b}}
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("y/b", "x/a", true)
                                .expect("z/b", "x/a", true)).build(),

                Scenario.named("should enforce policy based on Multiple PodSelectors and NamespaceSelectors")
                        .pods("x/a", "x/b", "y/a", "y/b", "y/c")
                        .apply(np("x", "allow-ns-y-z-pod-b-c", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector:
                                          matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]
                                        podSelector:
                                          matchExpressions: [{key: pod, operator: In, values: [b, c]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false).expect("y/a", "x/a", false))
                        .build(),

                Scenario.named("should enforce policy based on any PodSelectors").pods("x/a", "x/b", "x/c")
                        .apply(np("x", "allow-ns-x-pod-b-c", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - podSelector: {matchLabels: {pod: b}}
                                      - podSelector: {matchLabels: {pod: c}}
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("x/b", "x/a", true)
                                .expect("x/c", "x/a", true)).build(),

                Scenario.named("should enforce policy to allow traffic only from a pod in a different namespace "
                        + "based on PodSelector and NamespaceSelector").pods("x/a", "x/b", "y/a", "y/b", "z/a")
                        .apply(np("x", "allow-ns-y-pod-a-via-namespace-pod-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from:
                                      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                                        podSelector: {matchLabels: {pod: a}}
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("y/a", "x/a", true)).build(),

                Scenario.named("should enforce policy based on Ports").pods("x/a", "x/b", "y/a", "y/b", "z/a")
                        .apply(np("x", "allow-client-a-via-ns-selector", ALLOW_Y_ON_81))
                        .expect(TCP_81, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("y"), pod("x/a"), true).expectPeer(ns("z"), pod("x/a"), false))
                        .build(),

                Scenario.named("should enforce multiple, stacked policies with overlapping podSelectors")
                        .pods("x/a", "x/b", "y/a", "y/b", "z/a")
                        .apply(np("x", "allow-client-a-via-ns-selector", ALLOW_Y_ON_81))
                        .expect(TCP_81, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("y"), pod("x/a"), true).expectPeer(ns("z"), pod("x/a"), false))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .apply(np("x", "allow-client-a-via-ns-selector-80", ALLOW_Y_ON_81.replace("81", "80")))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("y"), pod("x/a"), true).expectPeer(ns("z"), pod("x/a"), false))
                        .build(),

                Scenario.named("should support allow-all policy").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "allow-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: [{}]
                                """))
                        .expect(TCP_80, r -> r).expect(TCP_81, r -> r).build(),

                Scenario.named("should allow ingress access on one named port").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "allow-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: serve-81-tcp}]
                                """))
                        .expect(TCP_81, r -> r).expect(TCP_80, r -> r.expectPeer(ANY, ns("x"), false)).build(),

                Scenario.named("should allow ingress access from namespace on one named port")
                        .pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-client-a-via-ns-selector-80", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                                    ports: [{port: serve-80-tcp, protocol: TCP}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("z"), pod("x/a"), false))
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should allow egress access on one named port").pods("x/a", "y/a")
                        .apply(np("x", "allow-egress", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress:
                                  - ports: [{port: serve-80-tcp}]
                                """))
                        .expect(TCP_80, r -> r).expect(TCP_81, r -> r.expectPeer(ns("x"), ANY, false)).build(),

                Scenario.named("should enforce updated policy").pods("x/a", "y/a")
                        .apply(np("x", "allow-all-mutate-to-deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: [{}]
                                """))
                        .expect(TCP_81, r -> r)
                        .apply(np("x", "allow-all-mutate-to-deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: []
                                """))
                        .expect(TCP_81, r -> r.expectPeer(ANY, ns("x"), false)).build(),

                Scenario.named("should allow ingress access from updated namespace").pods("x/a", "y/a")
                        .apply(np("x", "allow-client-a-via-ns-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .labelNamespace("y", Map.of("ns2", "updated"))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expectPeer(ns("y"), ANY, true))
                        .build(),

                Scenario.named("should allow ingress access from updated pod").pods("x/a", "x/b")
                        .apply(np("x", "allow-client-a-via-pod-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{podSelector: {matchLabels: {pod: b, pod2: updated}}}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false))
                        .labelPod("x/b", Map.of("pod", "b", "pod2", "updated"))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("x/b", "x/a", true)).build(),

                Scenario.named("should deny ingress from pods on other namespaces").pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "deny-empty-policy", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{podSelector: {matchLabels: {}}}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("y"), ns("x"), false).expectPeer(ns("z"), ns("x"), false))
                        .build(),

                Scenario.named("should deny ingress access to updated pod").pods("x/a", "y/a")
                        .apply(np("x", "deny-ingress-via-label-selector", """
                                podSelector: {matchLabels: {target: isolated}}
                                policyTypes: [Ingress]
                                """))
                        .expect(TCP_80, r -> r)
                        .labelPod("x/a", Map.of("target", "isolated"))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should deny egress from pods based on PodSelector").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "deny-egress-pod-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                """))
                        .expect(TCP_80, r -> r.expectAllEgress("x/a", false)).build(),

                Scenario.named("should deny egress from all pods in a namespace").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "deny-egress-ns-x", """
                                podSelector: {}
                                policyTypes: [Egress]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), ANY, false)).build(),

                Scenario.named("should work with Ingress, Egress specified together").pods("x/a", "x/b", "x/c", "y/a")
                        .apply(np("x", "allow-client-a-via-pod-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress, Ingress]
                                ingress:
                                  - from: [{podSelector: {matchLabels: {pod: b}}}]
                                egress:
                                  - ports: [{port: 80}]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false).expect("x/b", "x/a", true))
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false).expectAllEgress("x/a", false)
                                .expect("x/b", "x/a", true)).build(),

                Scenario.named("should support denying of egress traffic on the client side (even if the server "
                        + "explicitly allows this traffic)").pods("x/a", "y/a", "y/b")
                        .apply(np("x", "allow-to-ns-y-pod-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to:
                                      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                                        podSelector: {matchLabels: {pod: a}}
                                """))
                        .apply(np("y", "allow-from-xa-on-ya-match-selector", FROM_X_A.replace("POD", "a")))
                        .apply(np("y", "allow-from-xa-on-yb-match-selector", FROM_X_A.replace("POD", "b")))
                        .expect(TCP_80, r -> r.expectPeer(pod("x/a"), ANY, false).expectPeer(ANY, pod("y/a"), false)
                                .expectPeer(pod("x/a"), pod("y/a"), true).expectPeer(ANY, pod("y/b"), false))
                        .build(),

                Scenario.named("should enforce egress policy allowing traffic to a server in a different namespace "
                        + "based on PodSelector and NamespaceSelector").pods("x/a", "y/a", "y/b")
                        .apply(np("x", "allow-to-ns-y-pod-a", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to:
                                      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                                        podSelector: {matchLabels: {pod: a}}
                                """))
                        .expect(TCP_80, r -> r.expectAllEgress("x/a", false).expect("x/a", "y/a", true)).build(),

                Scenario.named("should enforce ingress policy allowing any port traffic to a server on a specific "
                        + "protocol").pods("x/a", "y/a")
                        .apply(np("x", "allow-ingress-by-proto", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{protocol: TCP}]
                                """))
                        .expect(TCP_80, r -> r).expect(UDP_80, r -> r.expectPeer(ANY, pod("x/a"), false)).build(),

                Scenario.named("should enforce multiple ingress policies with ingress allow-all policy taking "
                        + "precedence").pods("x/a", "y/a")
                        .apply(np("x", "allow-ingress-port-80", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: 80}]
                                """))
                        .expect(TCP_81, r -> r.expectPeer(ANY, ns("x"), false))
                        .apply(np("x", "allow-ingress", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                ingress: [{}]
                                """))
                        .expect(TCP_81, r -> r).build(),

                Scenario.named("should enforce multiple egress policies with egress allow-all policy taking "
                        + "precedence").pods("x/a", "y/a")
                        .apply(np("x", "allow-egress-port-80", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress:
                                  - ports: [{port: 80}]
                                """))
                        .expect(TCP_81, r -> r.expectPeer(ns("x"), ANY, false))
                        .apply(np("x", "allow-egress", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress: [{}]
                                """))
                        .expect(TCP_81, r -> r).build(),

                Scenario.named("should stop enforcing policies after they are deleted").pods("x/a", "y/a")
                        .apply(np("x", "deny-all", """
                                podSelector: {}
                                policyTypes: [Ingress, Egress]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), ANY, false).expectPeer(ANY, ns("x"), false))
                        .deleteAll()
                        .expect(TCP_80, r -> r).build(),

                Scenario.named("should allow egress access to server in CIDR block").pods("x/a", "y/a", "y/b")
                        .apply("x/allow-client-a-via-cidr-egress-rule to y/b/32", a -> np("x",
                                "allow-client-a-via-cidr-egress-rule", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to: [{ipBlock: {cidr: "%s/32"}}]
                                """.formatted(a.of("y/b"))))
                        .expect(TCP_80, r -> r.expectAllEgress("x/a", false).expect("x/a", "y/b", true)).build(),

                Scenario.named("should enforce except clause while egress access to server in CIDR block")
                        .pods("x/a", "x/b", "x/c")
                        .apply("x/allow-client-a-via-cidr-egress-rule to a /4 around x/b except x/b",
                                a -> EXCEPT_X_B.formatted(a.of("x/b"), a.of("x/b")))
                        .expect(TCP_80, r -> r.expect("x/a", "x/b", false)).build(),

                Scenario.named("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed")
                        .pods("x/a", "x/b", "x/c")
                        .apply("x/allow-client-a-via-cidr-egress-rule to a /4 around x/b except x/b",
                                a -> EXCEPT_X_B.formatted(a.of("x/b"), a.of("x/b")))
                        .expect(TCP_80, r -> r.expect("x/a", "x/b", false))
                        .apply("x/allow-client-a-via-cidr-egress-rule updated to x/b/32", a -> np("x",
                                "allow-client-a-via-cidr-egress-rule", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to: [{ipBlock: {cidr: "%s/32"}}]
                                """.formatted(a.of("x/b"))))
                        .expect(TCP_80, r -> r.expectAllEgress("x/a", false).expect("x/a", "x/b", true)).build(),

                Scenario.named("should enforce policies to check ingress and egress policies can be controlled "
                        + "independently based on PodSelector").pods("x/a", "x/b", "y/a")
                        .apply(np("x", "allow-egress-for-target", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress: [{}]
                                """))
                        .expect(TCP_80, r -> r)
                        .apply(np("x", "deny-ingress-via-label-selector", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                """))
                        .expect(TCP_80, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin "
                        + "doesn't support SCTP").pods("x/a", "y/a")
                        .apply(np("x", "deny-ingress", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                """))
                        .apply(np("x", "allow-only-sctp-ingress-on-port-81", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: 81, protocol: SCTP}]
                                """))
                        .expect(TCP_81, r -> r.expectPeer(ANY, ns("x"), false)).build(),

                Scenario.named("should properly isolate pods that are selected by a policy allowing SCTP, even if "
                        + "the plugin doesn't support SCTP").pods("x/a", "y/a")
                        .apply(np("x", "allow-only-sctp-ingress-on-port-80", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: 80, protocol: SCTP}]
                                """))
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should not allow access by TCP when a policy specifies only UDP").pods("x/a", "y/a")
                        .apply(np("x", "allow-only-udp-ingress-on-port-81", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - ports: [{port: 81, protocol: UDP}]
                                """))
                        .expect(TCP_81, r -> r.expectAllIngress("x/a", false)).build(),

                Scenario.named("should enforce policy to allow traffic based on NamespaceSelector with MatchLabels "
                        + "using default ns label").pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-client-a-via-ns-selector-for-immutable-ns-label", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Ingress]
                                ingress:
                                  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(ns("x"), pod("x/a"), false)
                                .expectPeer(ns("z"), pod("x/a"), false)).build(),

                Scenario.named("should enforce policy based on NamespaceSelector with MatchExpressions using default "
                        + "ns label").pods("x/a", "x/b", "y/a", "z/a")
                        .apply(np("x", "allow-ns-y-match-selector-for-immutable-ns-label", """
                                podSelector: {matchLabels: {pod: a}}
                                policyTypes: [Egress]
                                egress:
                                  - to:
                                      - namespaceSelector:
                                          matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]
                                """))
                        .expect(TCP_80, r -> r.expectPeer(pod("x/a"), ns("y"), false)).build());
    }

    static final String ALLOW_Y_ON_81 = """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Ingress]
            ingress:
              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                ports: [{port: 81, protocol: TCP}]
            """;

    private static final String FROM_X_A = """
            podSelector: {matchLabels: {pod: POD}}
            policyTypes: [Ingress]
            ingress:
              - from:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}
                    podSelector: {matchLabels: {pod: a}}
            """;

    /** Upstream's makeLargeCIDRForIP: the pod address with a /4 (host bits set, which the API accepts). */
    private static final String EXCEPT_X_B = np("x", "allow-client-a-via-cidr-egress-rule", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
              - to: [{ipBlock: {cidr: "%s/4", except: ["%s/32"]}}]
            """);
}
