package dev.weir.lab.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.PodPhase;
import dev.weir.model.Protocol;
import dev.weir.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lab's kube-proxy rules for small clusters, rule by rule, and the transaction that replaces them. */
class KubeProxyRulesTest {

    private static Endpoint pod(String name, String ip, String node, String app) {
        return new Endpoint("x", name, Map.of("app", app), List.of(IpAddress.parse(ip)), node, false,
                PodPhase.RUNNING, List.of(new ContainerPort("http", 8080, Protocol.TCP)));
    }

    private static Service web(Service.Type type, Service.TrafficPolicy policy) {
        return new Service("x", "web", type, IpAddress.parse("10.96.0.16"), Map.of("app", "web"),
                List.of(new Service.Port("http", 80, Protocol.TCP, new Service.TargetPort.Named("http"),
                        type == Service.Type.NODE_PORT ? 30080 : 0)), policy);
    }

    private static final List<Endpoint> PODS = List.of(pod("b", "10.244.1.3", "n1", "web"),
            pod("c", "10.244.2.2", "n2", "web"), pod("a", "10.244.1.2", "n1", "other"));

    @Test
    void aClusterIpServiceBalancesOverItsEndpointsWithStatisticAndMarksHairpinForMasquerade() {
        KubeProxyRules.NodeRules r = KubeProxyRules.render("n1",
                List.of(web(Service.Type.CLUSTER_IP, Service.TrafficPolicy.CLUSTER)), PODS);
        String svc = KubeProxyRules.chain("KUBE-SVC-", "x/web:http", Protocol.TCP);
        String sepB = KubeProxyRules.chain("KUBE-SEP-", "x/web:http 10.244.1.3:8080", Protocol.TCP);
        String sepC = KubeProxyRules.chain("KUBE-SEP-", "x/web:http 10.244.2.2:8080", Protocol.TCP);
        assertThat(r.nat().rules()).containsSubsequence(
                "-A KUBE-SERVICES -d 10.96.0.16/32 -p tcp -m comment --comment \"x/web:http cluster IP\" -m tcp "
                        + "--dport 80 -j " + svc,
                "-A " + svc + " ! -s 10.244.0.0/16 -d 10.96.0.16/32 -p tcp -m comment --comment \"x/web:http "
                        + "cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ",
                "-A " + svc + " -m comment --comment \"x/web:http -> 10.244.1.3:8080\" -m statistic --mode random "
                        + "--probability 0.5000000000 -j " + sepB,
                "-A " + sepB + " -s 10.244.1.3/32 -m comment --comment \"x/web:http\" -j KUBE-MARK-MASQ",
                "-A " + sepB + " -p tcp -m comment --comment \"x/web:http\" -m tcp -j DNAT --to-destination "
                        + "10.244.1.3:8080",
                "-A " + svc + " -m comment --comment \"x/web:http -> 10.244.2.2:8080\" -j " + sepC);
        assertThat(r.nat().rules()).last().isEqualTo("-A KUBE-SERVICES -m comment --comment \"kubernetes service "
                + "nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL "
                + "-j KUBE-NODEPORTS");
        assertThat(r.nat().rules()).contains("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN");
        assertThat(r.filter().rules()).noneMatch(l -> l.contains("REJECT") || l.contains("DROP"));
    }

    @Test
    void aLocalNodePortReachesOnlyTheNodesOwnEndpointsAndDropsWhereThereIsNone() {
        Service local = web(Service.Type.NODE_PORT, Service.TrafficPolicy.LOCAL);
        String svl = KubeProxyRules.chain("KUBE-SVL-", "x/web:http", Protocol.TCP);
        String sepB = KubeProxyRules.chain("KUBE-SEP-", "x/web:http 10.244.1.3:8080", Protocol.TCP);
        KubeProxyRules.NodeRules n1 = KubeProxyRules.render("n1", List.of(local), PODS);
        assertThat(n1.nat().rules()).contains("-A " + svl + " -m comment --comment \"x/web:http -> 10.244.1.3:8080\""
                + " -j " + sepB);
        assertThat(n1.nat().rules()).filteredOn(l -> l.startsWith("-A " + svl)).hasSize(1);
        KubeProxyRules.NodeRules n3 = KubeProxyRules.render("n3", List.of(local), PODS);
        assertThat(n3.filter().rules()).contains("-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "
                + "\"x/web:http has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP");
        assertThat(n3.nat().rules()).noneMatch(l -> l.startsWith("-A " + svl));
    }

    @Test
    void aClusterNodePortMarksEverythingForMasqueradeAndAServiceWithoutEndpointsIsRejected() {
        KubeProxyRules.NodeRules r = KubeProxyRules.render("n1",
                List.of(web(Service.Type.NODE_PORT, Service.TrafficPolicy.CLUSTER)), PODS);
        String ext = KubeProxyRules.chain("KUBE-EXT-", "x/web:http", Protocol.TCP);
        assertThat(r.nat().rules()).contains(
                "-A KUBE-NODEPORTS -p tcp -m comment --comment \"x/web:http\" -m tcp --dport 30080 -j " + ext,
                "-A " + ext + " -m comment --comment \"masquerade traffic for x/web:http external destinations\" "
                        + "-j KUBE-MARK-MASQ");
        KubeProxyRules.NodeRules none = KubeProxyRules.render("n1",
                List.of(web(Service.Type.CLUSTER_IP, Service.TrafficPolicy.CLUSTER)), List.of());
        assertThat(none.filter().rules()).contains("-A KUBE-SERVICES -d 10.96.0.16/32 -p tcp -m comment "
                + "--comment \"x/web:http has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with "
                + "icmp-port-unreachable");
    }

    @Test
    void theTransactionFlushesEveryChainItWritesAndDeletesTheOnesNoLongerNeeded() {
        KubeProxyRules.NodeRules before = KubeProxyRules.render("n1",
                List.of(web(Service.Type.CLUSTER_IP, Service.TrafficPolicy.CLUSTER)), PODS);
        KubeProxyRules.NodeRules after = KubeProxyRules.render("n1", List.of(), PODS);
        String svc = KubeProxyRules.chain("KUBE-SVC-", "x/web:http", Protocol.TCP);
        String text = KubeProxyFixture.restoreText(before, after);
        assertThat(text).startsWith("*nat\n:KUBE-SERVICES - [0:0]\n").contains(":" + svc + " - [0:0]\n")
                .contains("-X " + svc + "\n").endsWith("COMMIT\n");
        assertThat(text.indexOf("-X " + svc)).isGreaterThan(text.indexOf("-A KUBE-SERVICES"));
        assertThat(KubeProxyFixture.restoreText(null, before)).doesNotContain("-X ");
    }

    @Test
    void theAllocatorGivesMissingClusterIpsAndNodePortsTheLowestFreeOnes() {
        var taken = new ServiceBuilder().withNewMetadata().withName("a").withNamespace("x").endMetadata()
                .withNewSpec().withType("NodePort").withClusterIP("10.96.0.16").withExternalTrafficPolicy("Local")
                .addNewPort().withPort(80)
                .withNodePort(30000).endPort().endSpec().build();
        var fresh = new ServiceBuilder().withNewMetadata().withName("b").withNamespace("x").endMetadata()
                .withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort().endSpec().build();
        assertThat(ServiceAllocator.allocate(List.of(taken, fresh))).containsExactly(fresh);
        assertThat(fresh.getSpec().getClusterIP()).isEqualTo("10.96.0.17");
        assertThat(fresh.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30001);
        assertThat(fresh.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(ServiceAllocator.allocate(List.of(taken, fresh))).isEmpty();
    }
}
