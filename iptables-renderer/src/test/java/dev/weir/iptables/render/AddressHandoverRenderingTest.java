package dev.weir.iptables.render;

import static dev.weir.iptables.render.Cluster.anyPeer;
import static dev.weir.iptables.render.Cluster.named;
import static dev.weir.iptables.render.Cluster.peers;
import static dev.weir.iptables.render.Cluster.pods;
import static dev.weir.iptables.render.Cluster.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.GroupSelector;
import dev.weir.model.IpFamily;
import dev.weir.model.LabelSelector;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod that takes over a deleted pod's IP while the old Pod object is still in the API: the node's rules dispatch the
 * address to the new pod's policies only, and no peer set holds the address for the old pod's labels
 * (docs/model.md, "One address, one pod").
 */
class AddressHandoverRenderingTest {

    private static final String ADDRESS = "10.0.1.5";

    /**
     * prod/old (app=db, declares http 8080) is admitted from and may reach the client; its address goes to prod/new
     * (app=web, admits nothing) five minutes later. The client may reach db pods, and any pod on its http port.
     */
    private static Cluster cluster(boolean withNewPod) {
        Cluster c = Cluster.cluster()
                .pod("prod/old", "n1", ADDRESS, p -> p.labels("app=db").port("http", 8080, Protocol.TCP)
                        .created("2026-05-01T10:00:00Z"))
                .pod("prod/client", "n2", "10.0.2.2", p -> p.labels("app=client").created("2026-05-01T09:00:00Z"))
                .policy("prod/db", p -> p.select("app=db").types(PolicyType.INGRESS, PolicyType.EGRESS)
                        .ingress(rule(peers(pods("app=client")))).egress(rule(peers(pods("app=client")))))
                .policy("prod/web", p -> p.select("app=web").types(PolicyType.INGRESS))
                .policy("prod/client", p -> p.select("app=client").types(PolicyType.EGRESS)
                        .egress(rule(peers(pods("app=db")))).egress(rule(anyPeer(), named(Protocol.TCP, "http"))));
        if (withNewPod) {
            c.pod("prod/new", "n1", ADDRESS, p -> p.labels("app=web").created("2026-05-01T10:05:00Z"));
        }
        return c;
    }

    private static List<IptablesRule> rules(Ruleset rs, String chain) {
        return rs.v4().chains().stream().filter(c -> c.name().equals(chain)).findFirst().orElseThrow().rules();
    }

    private static List<IptablesRule> allRules(Ruleset rs) {
        return rs.v4().chains().stream().flatMap(c -> c.rules().stream()).toList();
    }

    private static List<String> dbSetMembers(Ruleset rs) {
        String name = Names.groupSet(IpFamily.V4, GroupSelector.inNamespace("prod",
                LabelSelector.matchLabel("app", "db")).id());
        return rs.sets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().members();
    }

    /** Every member of the client's named-port (http) egress set. */
    private static List<String> namedPortMembers(Ruleset rs) {
        return rs.sets().stream().filter(s -> s.type() == IpSetSpec.Type.HASH_IP_PORT)
                .flatMap(s -> s.members().stream()).toList();
    }

    @Test
    void theNewPodsAddressIsDispatchedToItsOwnPoliciesOnly() {
        Ruleset n1 = IptablesRenderer.render(cluster(true).graph(), "n1");
        String webChain = Names.endpointChain(PolicyType.INGRESS, List.of("prod/web"));
        String dbIngress = Names.endpointChain(PolicyType.INGRESS, List.of("prod/db"));
        String dbEgress = Names.endpointChain(PolicyType.EGRESS, List.of("prod/db"));
        assertThat(rules(n1, Names.INGRESS)).filteredOn(r -> r.matches().contains(ADDRESS + "/32"))
                .extracting(IptablesRule::target).containsExactly(webChain);
        assertThat(rules(n1, Names.EGRESS)).noneMatch(r -> r.matches().contains(ADDRESS + "/32"));
        assertThat(allRules(n1)).extracting(IptablesRule::target).doesNotContain(dbIngress, dbEgress);
        assertThat(allRules(n1)).noneMatch(r -> r.comment().startsWith("pod:prod/old "));
        assertThat(n1.v4().chains()).extracting(Chain::name).doesNotContain(dbIngress, dbEgress,
                Names.policyChain(PolicyType.INGRESS, "prod/db"), Names.policyChain(PolicyType.EGRESS, "prod/db"));
    }

    @Test
    void noPeerSetHoldsTheAddressForTheOldPod() {
        Ruleset n2 = IptablesRenderer.render(cluster(true).graph(), "n2");
        assertThat(dbSetMembers(n2)).isEmpty();
        assertThat(namedPortMembers(n2)).noneMatch(m -> m.startsWith(ADDRESS + ","));
    }

    /** The same cluster before the address changed hands: what the assertions above must not find. */
    @Test
    void beforeTheHandoverTheOldPodOwnsTheAddress() {
        Ruleset n1 = IptablesRenderer.render(cluster(false).graph(), "n1");
        assertThat(rules(n1, Names.INGRESS)).filteredOn(r -> r.matches().contains(ADDRESS + "/32"))
                .extracting(IptablesRule::target)
                .containsExactly(Names.endpointChain(PolicyType.INGRESS, List.of("prod/db")));
        assertThat(rules(n1, Names.EGRESS)).filteredOn(r -> r.matches().contains(ADDRESS + "/32"))
                .extracting(IptablesRule::target)
                .containsExactly(Names.endpointChain(PolicyType.EGRESS, List.of("prod/db")));
        Ruleset n2 = IptablesRenderer.render(cluster(false).graph(), "n2");
        assertThat(dbSetMembers(n2)).containsExactly(ADDRESS);
        assertThat(namedPortMembers(n2)).contains(ADDRESS + ",tcp:8080");
    }
}
