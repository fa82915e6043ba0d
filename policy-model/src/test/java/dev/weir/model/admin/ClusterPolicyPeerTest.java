package dev.weir.model.admin;

import static dev.weir.model.admin.Fixtures.networks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterPolicyPeerTest {

    @Test
    void networksAreNormalizedSortedAndDeduplicated() {
        assertThat(((ClusterPolicyPeer.Networks) networks("192.168.1.7/16", "10.0.0.0/8", "192.168.0.0/16")).cidrs())
                .extracting(Cidr::toString).containsExactly("10.0.0.0/8", "192.168.0.0/16");
    }

    @Test
    void networksNeedOneToTwentyFiveCidrs() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterPolicyPeer.Networks(List.of()));
        List<Cidr> many = IntStream.range(0, 26).mapToObj(i -> Cidr.parse("10." + i + ".0.0/16")).toList();
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterPolicyPeer.Networks(many))
                .withMessageContaining("at most 25");
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
        "10.9.8.7, 10.0.0.0/8, true",
        "11.0.0.1, 10.0.0.0/8, false",
        "10.244.1.5, 0.0.0.0/0, true",
        "fd00::1, 0.0.0.0/0, false",
        "fd00::1, ::/0, true",
    })
    void networksMatchAnyAddressInsideTheirCidrsPodsIncluded(String address, String cidr, boolean expected) {
        assertThat(((ClusterPolicyPeer.Networks) networks(cidr)).contains(IpAddress.parse(address)))
                .isEqualTo(expected);
    }

    @Test
    void podsPeerNeedsBothSelectorsToMatch() {
        var peer = new ClusterPolicyPeer.Pods(LabelSelector.matchLabel("team", "a"),
                LabelSelector.matchLabel("app", "web"));
        assertThat(peer.selects(Map.of("team", "a"), Map.of("app", "web"))).isTrue();
        assertThat(peer.selects(Map.of("team", "b"), Map.of("app", "web"))).isFalse();
        assertThat(peer.selects(Map.of("team", "a"), Map.of("app", "db"))).isFalse();
    }

    @Test
    void onlyPodPeersCarryNamedPortsAndOnlyTheyAndAnywhereMayBeIngressPeers() {
        List<ClusterPolicyPeer> peers = List.of(new ClusterPolicyPeer.Namespaces(LabelSelector.all()),
                new ClusterPolicyPeer.Pods(LabelSelector.all(), LabelSelector.all()),
                new ClusterPolicyPeer.Nodes(LabelSelector.all()), networks("10.0.0.0/8"),
                new ClusterPolicyPeer.Anywhere());
        assertThat(peers).extracting(ClusterPolicyPeer::hasNamedPorts).containsExactly(true, true, false, false, false);
        assertThat(peers).extracting(ClusterPolicyPeer::allowedInIngress)
                .containsExactly(true, true, false, false, true);
    }

    @Test
    void subjectsSelectByNamespaceOrByNamespaceAndPod() {
        ClusterPolicySubject ns = new ClusterPolicySubject.Namespaces(LabelSelector.matchLabel("team", "a"));
        ClusterPolicySubject pods = new ClusterPolicySubject.Pods(LabelSelector.all(),
                LabelSelector.matchLabel("app", "web"));
        assertThat(ns.selects(Map.of("team", "a"), Map.of())).isTrue();
        assertThat(ns.selects(Map.of("team", "b"), Map.of("app", "web"))).isFalse();
        assertThat(pods.selects(Map.of("team", "b"), Map.of("app", "web"))).isTrue();
        assertThat(pods.selects(Map.of(), Map.of("app", "db"))).isFalse();
    }
}
