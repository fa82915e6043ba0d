package dev.weir.iptables.apply;

import dev.weir.graph.Ids;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built rulesets for applier tests (the renderer's output has the same shape). */
final class Fixtures {

    private Fixtures() {
    }

    /** A rule whose comment hash covers the owner too, so equal rules of two owners differ. */
    static IptablesRule rule(String matches, String target, String owner) {
        return new IptablesRule(matches, target, owner + " " + Ids.hex(owner + matches + target).substring(0, 8));
    }

    static Chain chain(String name, IptablesRule... rules) {
        return new Chain(name, List.of(rules));
    }

    static IpSetSpec set(String name, String... members) {
        return new IpSetSpec(name, IpSetSpec.Type.HASH_IP, IpFamily.V4, List.of(members));
    }

    /** WEIR-FORWARD dispatching to one pod chain that allows port 80 from a set of clients. */
    static Ruleset web(String... clients) {
        return web(80, clients);
    }

    static Ruleset web(int port, String... clients) {
        List<Chain> chains = new ArrayList<>();
        chains.add(chain("WEIR-FORWARD",
                rule("-m conntrack --ctstate RELATED,ESTABLISHED", "ACCEPT", "conntrack"),
                rule("-d 10.0.0.10/32", "WEIR-I-WEB", "default/web")));
        chains.add(chain("WEIR-I-WEB",
                rule("-p tcp -m tcp --dport " + port + " -m set --match-set weir-clients src", "ACCEPT",
                        "default/allow-clients"),
                rule("", "DROP", "default/web")));
        return new Ruleset("node-1", List.of(set("weir-clients", clients)),
                new FamilyRuleset(IpFamily.V4, List.of(new Hook("FORWARD", "WEIR-FORWARD")), chains),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()));
    }

    /** {@code ruleset} with one more chain. */
    static Ruleset plusChain(Ruleset ruleset, Chain extra) {
        List<Chain> chains = new ArrayList<>(ruleset.v4().chains());
        chains.add(extra);
        return new Ruleset(ruleset.node(), ruleset.sets(),
                new FamilyRuleset(IpFamily.V4, ruleset.v4().hooks(), chains), ruleset.v6());
    }

    /** {@code ruleset} with one more set. */
    static Ruleset plusSet(Ruleset ruleset, IpSetSpec extra) {
        List<IpSetSpec> sets = new ArrayList<>(ruleset.sets());
        sets.add(extra);
        return new Ruleset(ruleset.node(), sets, ruleset.v4(), ruleset.v6());
    }
}
