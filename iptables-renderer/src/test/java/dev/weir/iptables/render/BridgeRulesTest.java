package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeRulesTest {

    private static final String WEB_MAC = "02:42:0a:f4:01:02";
    private static final String DB_MAC = "02:42:0a:f4:01:03";

    private static Cluster cluster() {
        return Cluster.cluster()
                .pod("prod/web", "n1", "10.244.1.2", "app=web")
                .pod("prod/db", "n1", "10.244.1.3,fd00:1::3", "app=db")
                .pod("prod/v6", "n1", "fd00:1::4", "app=v6")
                .pod("prod/remote", "n2", "10.244.2.2", "app=web");
    }

    private static LocalNetwork ports(Map<String, PodInterface> byPod) {
        Map<ObjectKey, PodInterface> m = new LinkedHashMap<>();
        byPod.forEach((pod, i) -> m.put(ObjectKey.pod(pod.split("/")[0], pod.split("/")[1]), i));
        return new LocalNetwork(m, List.of(), false);
    }

    private static BridgeRuleset render(PolicyGraph graph, Map<String, PodInterface> byPod) {
        return BridgeRules.render(graph, "n1", ports(byPod));
    }

    private static String chain(String pod) {
        return Names.bridgePortChain(ObjectKey.pod(pod.split("/")[0], pod.split("/")[1]));
    }

    @Test
    void aBridgePortPodMustSendWithItsMacAndItsAddressesInArpAndIp() {
        BridgeRuleset br = render(cluster().graph(), Map.of("prod/web", PodInterface.bridgePort("veth1", WEB_MAC)));

        assertThat(EbtablesScript.install(br)).isEqualTo("""
                *nat
                :WEIR-L2 RETURN
                :%1$s RETURN
                -A WEIR-L2 -i veth1 -j %1$s
                -A %1$s -s ! 02:42:0a:f4:01:02 -j DROP
                -A %1$s -p ARP --arp-ip-src 10.244.1.2 --arp-mac-src 02:42:0a:f4:01:02 -j RETURN
                -A %1$s -p IPv4 --ip-src 10.244.1.2 -j RETURN
                -A %1$s -p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type router-advertisement -j DROP
                -A %1$s -p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type redirect -j DROP
                -A %1$s -p IPv6 --ip6-src fe80::/10 -j RETURN
                -A %1$s -p IPv6 --ip6-src :: --ip6-proto ipv6-icmp -j RETURN
                -A %1$s -j DROP
                -I PREROUTING 1 -j WEIR-L2
                COMMIT
                """.formatted(chain("prod/web")));
    }

    @Test
    void aDualStackPodMayAlsoSendFromItsIpv6Address() {
        BridgeRuleset br = render(cluster().graph(), Map.of("prod/db", PodInterface.bridgePort("veth2", DB_MAC)));

        assertThat(br.chains().get(1).rules()).extracting(IptablesRule::spec).containsExactly(
                "-s ! 02:42:0a:f4:01:03 -j DROP",
                "-p ARP --arp-ip-src 10.244.1.3 --arp-mac-src 02:42:0a:f4:01:03 -j RETURN",
                "-p IPv4 --ip-src 10.244.1.3 -j RETURN",
                "-p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type router-advertisement -j DROP",
                "-p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type redirect -j DROP",
                "-p IPv6 --ip6-src fd00:1::3 -j RETURN",
                "-p IPv6 --ip6-src fe80::/10 -j RETURN",
                "-p IPv6 --ip6-src :: --ip6-proto ipv6-icmp -j RETURN",
                "-j DROP");
    }

    @Test
    void aPodWithoutIpv4SendsNoArpAndNoIpv4() {
        BridgeRuleset br = render(cluster().graph(), Map.of("prod/v6", PodInterface.bridgePort("veth3",
                "02:00:00:00:00:04")));

        assertThat(br.chains().get(1).rules()).extracting(IptablesRule::spec)
                .noneMatch(s -> s.contains("ARP") || s.contains("IPv4"))
                .contains("-p IPv6 --ip6-src fd00:1::4 -j RETURN").last().isEqualTo("-j DROP");
    }

    @Test
    void everyLivePodIsCheckedWhetherOrNotAPolicySelectsIt() {
        PolicyGraph g = cluster().policy("prod/db-only", p -> p.select("app=db")).graph();

        BridgeRuleset br = render(g, Map.of("prod/web", PodInterface.bridgePort("veth1", WEB_MAC),
                "prod/db", PodInterface.bridgePort("veth2", DB_MAC)));

        assertThat(br.chains()).extracting(Chain::name).contains(chain("prod/web"), chain("prod/db"));
    }

    @Test
    void chainsAreSortedByNameAndDispatchFollowsThePodOrderWhateverTheInputOrder() {
        Map<String, PodInterface> one = new LinkedHashMap<>();
        one.put("prod/web", PodInterface.bridgePort("veth1", WEB_MAC));
        one.put("prod/db", PodInterface.bridgePort("veth2", DB_MAC));
        Map<String, PodInterface> other = new LinkedHashMap<>();
        other.put("prod/db", PodInterface.bridgePort("veth2", DB_MAC));
        other.put("prod/web", PodInterface.bridgePort("veth1", WEB_MAC));

        BridgeRuleset a = render(cluster().graph(), one);
        BridgeRuleset b = render(cluster().graph(), other);

        assertThat(EbtablesScript.install(a)).isEqualTo(EbtablesScript.install(b));
        assertThat(a.chains()).extracting(Chain::name).startsWith(Names.BRIDGE).isSorted();
        assertThat(a.chains().get(0).rules()).extracting(IptablesRule::matches)
                .containsExactly("-i veth2", "-i veth1"); // prod/db before prod/web
    }

    @Test
    void portChainNamesFitEbtablesAndDifferPerPod() {
        String name = chain("a-very-long-namespace-name/and-a-pod-name-of-sixty-three-characters-xxxxxxxxxxxxxxxxxx");
        assertThat(name).startsWith("WEIR-L2-").hasSize(20).isNotEqualTo(chain("prod/web"));
    }

    @Test
    void nothingIsRenderedForPodsWeirCannotTieToABridgePortMacAndAddress() {
        PolicyGraph g = cluster()
                .pod("prod/done", "n1", "10.244.1.9", p -> p.labels("app=x").phase(PodPhase.SUCCEEDED))
                .pod("prod/host", "n1", "192.168.0.1", p -> p.labels("app=x").hostNetwork())
                .pod("prod/pending", "n1", "", "app=x").graph();
        Map<String, PodInterface> ports = new LinkedHashMap<>();
        ports.put("prod/web", PodInterface.routed("cali1"));
        ports.put("prod/db", PodInterface.bridgePort("veth2", null));
        ports.put("prod/remote", PodInterface.bridgePort("veth4", "02:00:00:00:00:09"));
        ports.put("prod/done", PodInterface.bridgePort("veth5", "02:00:00:00:00:05"));
        ports.put("prod/host", PodInterface.bridgePort("veth6", "02:00:00:00:00:06"));
        ports.put("prod/pending", PodInterface.bridgePort("veth7", "02:00:00:00:00:07"));
        ports.put("prod/unknown", PodInterface.bridgePort("veth8", "02:00:00:00:00:08"));
        ports.put("prod/v6", PodInterface.bridgePort("veth+", "02:00:00:00:00:04"));

        BridgeRuleset br = render(g, ports);

        assertThat(br).isEqualTo(BridgeRuleset.EMPTY);
        assertThat(EbtablesScript.install(br)).isEmpty();
    }

    @Test
    void noLocalNetworkMeansNoBridgeRules() {
        assertThat(BridgeRules.render(cluster().graph(), "n1", LocalNetwork.none())).isEqualTo(BridgeRuleset.EMPTY);
    }
}
