package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.PodInterface;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which interface each pod gets from a node's routes, devices and CNI cache: one case per rule of the matcher. */
class InterfaceMatcherTest {

    private static final ObjectKey A = ObjectKey.pod("dev", "a");
    private static final ObjectKey B = ObjectKey.pod("dev", "b");
    private static final String A_IP = "10.244.1.5";
    private static final String A_IP6 = "fd00:10:244:1::5";
    private static final String B_IP = "10.244.1.6";
    private static final String B_MAC = "0a:58:0a:f4:01:06";

    /** The node: Calico-style veths, flannel's bridge with two ports, an uplink. */
    private static final Map<String, Link> LINKS = Map.of(
            "lo", link("lo", null, null),
            "ens3", link("ens3", null, null),
            "cali1", link("cali1", null, "veth"),
            "cali2", link("cali2", null, "veth"),
            "cni0", link("cni0", null, "bridge"),
            "veth9f3a2b1c", link("veth9f3a2b1c", "cni0", "veth"),
            "vethc0ffee00", link("vethc0ffee00", "cni0", "veth"),
            "veth0ptp", link("veth0ptp", null, "veth"));

    private static Link link(String name, String master, String kind) {
        return new Link(name, Optional.ofNullable(master), Optional.ofNullable(kind));
    }

    /** One node state and what each pod must end up with: an interface, or unknown with words of the reason. */
    private record Case(Map<ObjectKey, List<IpAddress>> pods, String routes, List<String> cache,
            Map<ObjectKey, PodInterface> bound, Map<ObjectKey, String> unknown) {
    }

    private static Map<ObjectKey, List<IpAddress>> pods(Object... keyAndIps) {
        Map<ObjectKey, List<IpAddress>> out = new TreeMap<>();
        for (int i = 0; i < keyAndIps.length; i += 2) {
            out.put((ObjectKey) keyAndIps[i],
                    Arrays.stream(((String) keyAndIps[i + 1]).split(",")).map(IpAddress::parse).sorted().toList());
        }
        return out;
    }

    private static String cache(String pod, String veth, String ip) {
        return CniCacheFiles.flannel("c0ffee00" + pod.hashCode(), "dev", pod, veth, ip, B_MAC);
    }

    private static Arguments of(String name, Case c) {
        return Arguments.of(name, c);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                of("a host route to the pod's address out of a veth binds it there (routed)",
                        new Case(pods(A, A_IP), A_IP + " dev cali1 scope link", List.of(),
                                Map.of(A, PodInterface.routed("cali1")), Map.of())),
                of("IPv4 and IPv6 host routes to one device bind a dual-stack pod",
                        new Case(pods(A, A_IP + "," + A_IP6), A_IP + " dev cali1 scope link\n" + A_IP6
                                + " dev cali1 metric 1024 pref medium", List.of(),
                                Map.of(A, PodInterface.routed("cali1")), Map.of())),
                of("an IPv6 host route alone binds too",
                        new Case(pods(A, A_IP6), A_IP6 + " dev cali1 metric 1024", List.of(),
                                Map.of(A, PodInterface.routed("cali1")), Map.of())),
                of("a cache entry for the pod with its address binds its bridge port, with the pod's MAC",
                        new Case(pods(B, B_IP), "", List.of(cache("b", "veth9f3a2b1c", B_IP)),
                                Map.of(B, PodInterface.bridgePort("veth9f3a2b1c", B_MAC)), Map.of())),
                of("a ptp cache entry (host veth on no bridge) leaves the decision to the route",
                        new Case(pods(B, B_IP), B_IP + " dev veth0ptp scope host",
                                List.of(cache("b", "veth0ptp", B_IP)), Map.of(B, PodInterface.routed("veth0ptp")),
                                Map.of())),
                of("a cache entry whose port is gone binds nothing",
                        new Case(pods(B, B_IP), "", List.of(cache("b", "veth0dead0", B_IP)), Map.of(),
                                Map.of(B, "[veth0dead0], gone from the node"))),
                of("a cache entry naming another pod with this pod's address binds nothing",
                        new Case(pods(B, B_IP), "", List.of(cache("other", "veth9f3a2b1c", B_IP)), Map.of(),
                                Map.of(B, InterfaceMatcher.NOTHING_FOUND))),
                of("a cache entry for the pod without its address binds nothing",
                        new Case(pods(B, B_IP), "", List.of(cache("b", "veth9f3a2b1c", "10.244.1.99")), Map.of(),
                                Map.of(B, "holds none of its addresses"))),
                of("two pods routed out of one device: neither is bound",
                        new Case(pods(A, A_IP, B, B_IP), A_IP + " dev cali1\n" + B_IP + " dev cali1", List.of(),
                                Map.of(), Map.of(A, "claimed by several pods [dev/a, dev/b]",
                                        B, "claimed by several pods [dev/a, dev/b]"))),
                of("two pods' cache entries naming one port: neither is bound",
                        new Case(pods(A, A_IP, B, B_IP), "", List.of(cache("a", "veth9f3a2b1c", A_IP),
                                cache("b", "veth9f3a2b1c", B_IP)), Map.of(),
                                Map.of(A, "claimed by several pods", B, "claimed by several pods"))),
                of("a host route to the bridge itself binds nothing",
                        new Case(pods(A, A_IP), A_IP + " dev cni0 scope link", List.of(), Map.of(),
                                Map.of(A, "points at the bridge itself"))),
                of("a host route to a bridge port binds nothing (the packet's input device is the bridge)",
                        new Case(pods(A, A_IP), A_IP + " dev vethc0ffee00", List.of(), Map.of(),
                                Map.of(A, "points at a port of cni0"))),
                of("a route and a cache entry naming different interfaces: not bound",
                        new Case(pods(B, B_IP), B_IP + " dev cali2", List.of(cache("b", "veth9f3a2b1c", B_IP)),
                                Map.of(), Map.of(B, "claimed by different interfaces: cali2"))),
                of("IPv4 and IPv6 routes out of different devices: not bound",
                        new Case(pods(A, A_IP + "," + A_IP6), A_IP + " dev cali1\n" + A_IP6 + " dev cali2",
                                List.of(), Map.of(), Map.of(A, "claimed by different interfaces"))),
                of("one address held by two local pods: a route to it binds neither",
                        new Case(pods(A, A_IP, B, A_IP), A_IP + " dev cali1", List.of(), Map.of(),
                                Map.of(A, "is held by", B, "is held by"))),
                of("a route through a gateway or to a network binds nothing",
                        new Case(pods(A, A_IP), A_IP + " via 192.168.1.30 dev ens3\n10.244.1.0/24 dev cni0",
                                List.of(), Map.of(), Map.of(A, InterfaceMatcher.NOTHING_FOUND))),
                of("a host route to a device that is gone binds nothing",
                        new Case(pods(A, A_IP), A_IP + " dev cali9", List.of(), Map.of(),
                                Map.of(A, "names a device that is gone"))),
                of("neither route nor cache entry: unknown",
                        new Case(pods(A, A_IP), "", List.of(), Map.of(), Map.of(A, InterfaceMatcher.NOTHING_FOUND))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachPodIsBoundOrUnknownWithItsReason(String name, Case c) {
        List<CniAttachment> attachments = c.cache().stream().map(json -> CniAttachment.parse("f", json)).toList();

        InterfaceBindings b = InterfaceMatcher.match(c.pods(), HostRoute.parseAll(c.routes()), LINKS, attachments);

        assertThat(b.bound()).isEqualTo(new TreeMap<>(c.bound()));
        assertThat(b.unknown()).containsOnlyKeys(c.unknown().keySet());
        c.unknown().forEach((pod, why) -> assertThat(b.unknown().get(pod)).as("%s", pod).contains(why));
    }
}
