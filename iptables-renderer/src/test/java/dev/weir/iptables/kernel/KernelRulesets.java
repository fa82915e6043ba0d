package dev.weir.iptables.kernel;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.List;

/**
 * A hand-built ruleset of the renderer's shape: WEIR-FORWARD (conntrack first, then dispatch on the server's IP) into
 * a per-pod ingress chain that allows TCP, UDP and SCTP ports from the members of one ipset and drops the rest.
 */
final class KernelRulesets {

    static final String CLIENTS = "weir-wrb-clients";

    private KernelRulesets() {
    }

    static IptablesRule rule(String owner, String matches, String target) {
        return IptablesRule.of(owner, matches, target);
    }

    static Ruleset server(String serverIp, int tcpPort, int udpPort, int sctpPort, String... clients) {
        Chain forward = new Chain("WEIR-FORWARD", List.of(
                rule("conntrack", "-m conntrack --ctstate RELATED,ESTABLISHED", "ACCEPT"),
                rule("conntrack", "-m conntrack --ctstate INVALID", "DROP"),
                rule("dispatch", "-d " + serverIp + "/32", "WEIR-I-SERVER")));
        String from = " -m set --match-set " + CLIENTS + " src";
        Chain ingress = new Chain("WEIR-I-SERVER", List.of(
                rule("wrb/allow", "-p tcp -m tcp --dport " + tcpPort + from, "ACCEPT"),
                rule("wrb/allow", "-p udp -m udp --dport " + udpPort + from, "ACCEPT"),
                rule("wrb/allow", "-p sctp -m sctp --dport " + sctpPort + from, "ACCEPT"),
                rule("wrb/server", "", "DROP")));
        return new Ruleset("wrb-node", List.of(new IpSetSpec(CLIENTS, IpSetSpec.Type.HASH_IP, IpFamily.V4,
                List.of(clients))),
                new FamilyRuleset(IpFamily.V4, List.of(new Hook("FORWARD", "WEIR-FORWARD")), List.of(forward, ingress)),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()));
    }
}
