package dev.weir.iptables.render;

import dev.weir.graph.Decision;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The NFLOG rules of one render ({@code docs/dataplane.md}, Denied-traffic log): each goes just before a drop (or a
 * logged Accept/Pass) and carries the {@link Decision} of that place as its prefix, {@code weir:<8 hex>}. They are
 * rate-limited by one shared hashlimit bucket and non-terminating, so they change no verdict. Whether a rule exists
 * follows the node's {@link DenialLog} and the namespace of the pod it is about: a rule in a chain of one namespace's
 * pods (a pod's anti-spoofing rule, an endpoint chain of NetworkPolicies) exists or not; a rule in a chain that pods of
 * several namespaces share (a cluster policy's) matches the pods whose namespace differs from the default through
 * {@link Names#denialLogSet}. Collects every prefix it hands out with its decision, for the {@link Ruleset}.
 */
final class DenialLogRules {

    private final DenialLog log;
    private final PolicyGraph graph;
    private final SetCatalog sets;
    /** Per family, the addresses of the judged local pods whose logging differs from the default. */
    private final Map<IpFamily, List<String>> exceptions = new HashMap<>();
    private final Map<Decision, String> ids = new HashMap<>();
    private final SortedMap<String, Decision> decisions = new TreeMap<>();

    /** {@code judged}: the local pods some policy judges, the only ones cluster policy chains see. */
    DenialLogRules(DenialLog log, PolicyGraph graph, SetCatalog sets, List<Endpoint> judged) {
        this.log = log;
        this.graph = graph;
        this.sets = sets;
        for (IpFamily family : IpFamily.values()) {
            List<String> members = new ArrayList<>();
            for (Endpoint e : judged) {
                if (logs(e.namespace()) != log.loggedByDefault()) {
                    e.ip(family).ifPresent(ip -> members.add(ip.toString()));
                }
            }
            exceptions.put(family, members);
        }
    }

    /** Every prefix id handed out ({@code 1234abcd}, without {@link Names#NFLOG_PREFIX}), with its decision. */
    SortedMap<String, Decision> decisions() {
        return Collections.unmodifiableSortedMap(decisions);
    }

    /**
     * The NFLOG rule for a place only pods of {@code namespace} reach (their own anti-spoofing rule, an endpoint chain
     * of their NetworkPolicies), or none when that namespace is not logged.
     */
    Optional<IptablesRule> forNamespace(String owner, String matches, Decision decision, String namespace) {
        return logs(namespace) ? Optional.of(rule(owner, matches, decision)) : Optional.empty();
    }

    /**
     * The NFLOG rule for a drop no pod owns (a fail-closed drop of an address weir has not programmed): logged when
     * the node logs by default, as no namespace can say otherwise.
     */
    Optional<IptablesRule> forUnknownPod(String owner, String matches, Decision decision) {
        return log.loggedByDefault() ? Optional.of(rule(owner, matches, decision)) : Optional.empty();
    }

    /**
     * The NFLOG rule for a place pods of several namespaces share (a cluster policy chain): the local pod it is about
     * (the source for an egress decision, the destination for an ingress one) is matched against the pods whose
     * logging differs from the default, when there are any; none when no local pod is logged at all.
     */
    Optional<IptablesRule> forSubjects(String owner, String matches, Decision decision, IpFamily family) {
        if (!log.enabled()) {
            return Optional.empty();
        }
        List<String> differing = exceptions.get(family);
        if (differing.isEmpty()) {
            return log.loggedByDefault() ? Optional.of(rule(owner, matches, decision)) : Optional.empty();
        }
        String side = decision.direction() == PolicyType.EGRESS ? "src" : "dst";
        String set = sets.denialLog(family, log.loggedByDefault(), differing);
        String match = "-m set " + (log.loggedByDefault() ? "! " : "") + "--match-set " + set + " " + side;
        return Optional.of(rule(owner, matches.isEmpty() ? match : matches + " " + match, decision));
    }

    private boolean logs(String namespace) {
        Namespace ns = graph.namespaces().get(namespace);
        return log.logs(ns == null ? DenialLogging.DEFAULT : ns.denialLogging());
    }

    /**
     * {@code <matches> -m hashlimit … -j NFLOG --nflog-prefix weir:<id> --nflog-group G --nflog-threshold 1}, spelled
     * as iptables-save prints it back (the group is left out when 0, as iptables-save does). Threshold 1 sends each
     * packet at once: without it the log instance's own threshold applies, and the kernel holds packets until 100
     * have queued or a second has passed (seen with iptables-nft, whose rule then carries no threshold at all).
     */
    private IptablesRule rule(String owner, String matches, Decision decision) {
        String limit = "-m hashlimit --hashlimit-upto " + log.ratePerSecond() + "/sec --hashlimit-burst "
                + log.burst() + " --hashlimit-name " + Names.hashlimitName(log);
        String target = "NFLOG --nflog-prefix " + Names.NFLOG_PREFIX + id(decision)
                + (log.group() == 0 ? "" : " --nflog-group " + log.group()) + " --nflog-threshold 1";
        return IptablesRule.of(owner, matches.isEmpty() ? limit : matches + " " + limit, target);
    }

    /**
     * The decision's id: the hash of its text, or, in the rare case another decision of this ruleset already has that
     * hash, the first free salted hash (deterministic for equal graphs, as decisions are met in rendering order).
     */
    private String id(Decision decision) {
        String known = ids.get(decision);
        if (known != null) {
            return known;
        }
        String id = Names.decisionId(decision, 0);
        for (int attempt = 1; decisions.containsKey(id); attempt++) {
            id = Names.decisionId(decision, attempt);
        }
        ids.put(decision, id);
        decisions.put(id, decision);
        return id;
    }
}
