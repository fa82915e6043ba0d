package dev.weir.model.admin;

import static dev.weir.model.admin.Fixtures.namespace;
import static dev.weir.model.admin.Fixtures.networks;
import static dev.weir.model.admin.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.PodPhase;
import dev.weir.model.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterPolicyRuleTest {

    static Endpoint podWithPorts(ContainerPort... ports) {
        return new Endpoint("ns", "pod", Map.of(), List.of(IpAddress.parse("10.1.0.5")), "node1", false,
                PodPhase.RUNNING, List.of(ports));
    }

    @Test
    void aRuleNeedsAPeer() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ClusterPolicyRule("r", RuleAction.DENY, List.of(), List.of()))
                .withMessageContaining("at least one peer");
    }

    @Test
    void namesLongerThan100CharactersAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterPolicyRule("x".repeat(101),
                RuleAction.DENY, List.of(namespace("a")), List.of()));
        assertThat(new ClusterPolicyRule("x".repeat(100), RuleAction.DENY, List.of(namespace("a")), List.of())
                .name()).hasSize(100);
    }

    @Test
    void anOmittedNameIsEmptyAndLabelledByIndex() {
        ClusterPolicyRule r = new ClusterPolicyRule(null, RuleAction.ACCEPT, List.of(namespace("a")), List.of());
        assertThat(r.name()).isEmpty();
        assertThat(r.label(3)).isEqualTo("#3");
    }

    @Test
    void namedPortsCannotBeUsedWithNetworksOrNodesPeers() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterPolicyRule("r", RuleAction.ACCEPT,
                List.of(namespace("a"), networks("10.0.0.0/8")), ClusterPolicyRule.namedPortAnyProtocol("http")))
                .withMessageContaining("no named ports");
        assertThatIllegalArgumentException().isThrownBy(() -> new ClusterPolicyRule("r", RuleAction.ACCEPT,
                List.of(new ClusterPolicyPeer.Nodes(LabelSelector.all())),
                ClusterPolicyRule.namedPortAnyProtocol("http")));
    }

    @Test
    void aNamedPortMatchesTheContainerPortOfThatNameWhateverItsProtocol() {
        ClusterPolicyRule r = new ClusterPolicyRule("r", RuleAction.ACCEPT, List.of(namespace("ns")),
                ClusterPolicyRule.namedPortAnyProtocol("dns"));
        Endpoint udpDns = podWithPorts(new ContainerPort("dns", 53, Protocol.UDP));
        assertThat(r.matchesPort(53, Protocol.UDP, udpDns)).isTrue();
        assertThat(r.matchesPort(53, Protocol.TCP, udpDns)).isFalse();
        assertThat(r.matchesPort(54, Protocol.UDP, udpDns)).isFalse();
        assertThat(r.matchesPort(53, Protocol.UDP, podWithPorts())).isFalse();
    }

    @Test
    void noPortsMeansEveryPortOfEveryProtocol() {
        ClusterPolicyRule r = new ClusterPolicyRule("r", RuleAction.DENY, List.of(namespace("a")), List.of());
        assertThat(r.allPorts()).isTrue();
        assertThat(r.matchesPort(9999, Protocol.SCTP, null)).isTrue();
    }

    @Test
    void numericPortsMatchOnlyTheirProtocolAndNumber() {
        ClusterPolicyRule r = new ClusterPolicyRule("r", RuleAction.DENY, List.of(namespace("a")), List.of(tcp(80)));
        assertThat(r.matchesPort(80, Protocol.TCP, null)).isTrue();
        assertThat(r.matchesPort(80, Protocol.UDP, null)).isFalse();
        assertThat(r.matchesPort(81, Protocol.TCP, null)).isFalse();
    }

    @Test
    void denyAllFailsClosedForEveryPeerAndPort() {
        ClusterPolicyRule r = ClusterPolicyRule.denyAll("broken");
        assertThat(r.action()).isEqualTo(RuleAction.DENY);
        assertThat(r.peers()).containsExactly(new ClusterPolicyPeer.Anywhere());
        assertThat(r.allPorts()).isTrue();
    }
}
