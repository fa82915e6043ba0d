package dev.weir.agent;

import dev.weir.graph.EndpointPolicies;
import dev.weir.graph.PeerGroup;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A renderer whose output reads like the graph, for asserting what reached the dataplane: one chain, one rule per fact
 * ({@code policy dev/web}, {@code group ns:dev/pods:app=db = 10.0.0.2}, {@code local dev/a in=[dev/web] out=[]}), and
 * one per known pod interface of the {@link LocalNetwork} ({@code interface dev/a ROUTED cali1}, and
 * {@code fail-closed [10.0.0.0/24]} when on).
 */
public final class TestingRenderer implements RulesetRenderer {

    @Override
    public Ruleset render(PolicyGraph graph, String node, LocalNetwork local) {
        List<IptablesRule> rules = new ArrayList<>();
        local.interfaces().forEach((pod, i) -> rules.add(new IptablesRule("interface " + pod.namespacedName() + " "
                + i.attachment() + " " + i.name() + i.mac().map(m -> " " + m).orElse(""), "", "")));
        if (local.failClosed()) {
            rules.add(new IptablesRule("fail-closed " + local.podCidrs(), "", ""));
        }
        graph.policies().keySet().forEach(k -> rules.add(new IptablesRule("policy " + k, "", "")));
        for (PeerGroup g : graph.groups().values()) {
            String ips = graph.members(g.id()).stream().flatMap(e -> e.ips().stream()).sorted().map(Object::toString)
                    .collect(Collectors.joining(" "));
            rules.add(new IptablesRule("group " + g.selector().canonical() + " = " + ips, "", ""));
        }
        for (Endpoint e : graph.endpointsOn(node)) {
            EndpointPolicies p = graph.policiesFor(e.key().namespacedName());
            if (!p.ingress().isEmpty() || !p.egress().isEmpty()) {
                rules.add(new IptablesRule("local " + e.key().namespacedName() + " in=" + p.ingress() + " out="
                        + p.egress(), "", ""));
            }
        }
        Chain chain = new Chain("WEIR-TEST", rules);
        return new Ruleset(node, List.of(), new FamilyRuleset(IpFamily.V4, List.of(), List.of(chain)),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()));
    }

    /** The rule specs of a ruleset, one per line. */
    public static String text(Ruleset r) {
        return r.v4().chains().stream().flatMap(c -> c.rules().stream()).map(IptablesRule::spec)
                .collect(Collectors.joining("\n"));
    }

    public static List<String> lines(Ruleset r) {
        return List.of(text(r).split("\n"));
    }

}
