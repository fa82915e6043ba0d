package dev.weir.k8s.admin;

import dev.weir.crd.ClusterNetworkPolicySpec;
import dev.weir.crd.EgressPeer;
import dev.weir.crd.EgressRule;
import dev.weir.crd.IngressPeer;
import dev.weir.crd.IngressRule;
import dev.weir.crd.ProtocolMatch;
import dev.weir.crd.Subject;
import dev.weir.k8s.Findings;
import dev.weir.k8s.Isolation;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.SelectorTranslator;
import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.RuleIndex;
import dev.weir.model.admin.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy (fabric8 type from the {@code crds} module) →
 * {@link ClusterPolicy}, or the diagnostics that say why not. Pure: no I/O, no logging.
 *
 * <p>Two kinds of finding. Errors break the API's own validation (the API server refuses such objects when the CRD is
 * installed); the object is rejected whole. Warnings are for valid objects
 * that weir enforces with a caveat, always in the safe direction the API prescribes: a peer weir cannot read
 * "fails closed" — in an Accept rule it matches nothing, in a Deny or Pass rule the whole rule becomes deny-all.
 */
public final class ClusterPolicyTranslator {

    /**
     * The annotation naming the rules whose Accept and Pass matches are logged like denials ({@code docs/denials.md}):
     * a comma list of rule names, {@code ingress[i]}/{@code egress[i]}, or {@code *} for every rule.
     */
    public static final String LOG_RULES_ANNOTATION = "weir.dev/log-rules";

    private static final Pattern POSITION = Pattern.compile("(ingress|egress)\\[(\\d{1,3})]");

    private ClusterPolicyTranslator() {
    }

    /** The policy, or why it is rejected; isolated ({@link Isolation}) like every translation. */
    public static Translated<ClusterPolicy> translate(dev.weir.crd.ClusterNetworkPolicy cnp) {
        return Isolation.translate(Isolation.ref(ObjectKey.Kind.CLUSTER_NETWORK_POLICY, cnp), () -> validated(cnp));
    }

    private static Translated<ClusterPolicy> validated(dev.weir.crd.ClusterNetworkPolicy cnp) {
        String name = cnp.getMetadata() == null ? null : cnp.getMetadata().getName();
        ObjectKey ref = ObjectKey.clusterNetworkPolicy(name == null || name.isEmpty() ? "<unnamed>" : name);
        Findings findings = new Findings(ref);
        if (name == null || name.isEmpty()) {
            findings.error("metadata.name", "Required value");
        }
        ClusterNetworkPolicySpec spec = cnp.getSpec();
        if (spec == null) {
            findings.error("spec", "Required value");
            return findings.rejected();
        }
        Tier tier = tier(spec.getTier(), findings);
        Integer priority = spec.getPriority();
        if (priority == null) {
            findings.error("spec.priority", "Required value");
        } else if (priority < ClusterPolicy.MIN_PRIORITY || priority > ClusterPolicy.MAX_PRIORITY) {
            findings.error("spec.priority", "must be between " + ClusterPolicy.MIN_PRIORITY + " and "
                    + ClusterPolicy.MAX_PRIORITY + " (got " + priority + ")");
        }
        Optional<ClusterPolicySubject> subject = subject(spec.getSubject(), findings);
        List<ClusterPolicyRule> ingress =
                rules(spec.getIngress(), "spec.ingress", findings, ClusterPolicyTranslator::ingressRule);
        List<ClusterPolicyRule> egress =
                rules(spec.getEgress(), "spec.egress", findings, ClusterPolicyTranslator::egressRule);
        if (tier == null || subject.isEmpty()) {
            return findings.rejected(); // each left an error
        }
        TreeSet<RuleIndex> logged = loggedRules(ModelTranslator.annotation(cnp.getMetadata(), LOG_RULES_ANNOTATION),
                tier, ingress, egress, findings);
        return findings.result(() -> new ClusterPolicy(name, tier, priority, subject.get(), ingress, egress, logged));
    }

    /**
     * The rules {@value #LOG_RULES_ANNOTATION} names: each entry a rule name (every rule of that name, in both
     * directions), a position {@code ingress[i]}/{@code egress[i]} as written in the spec, or {@code *}. An entry that
     * names no rule is a warning and is ignored; so is an Admin-tier Pass rule named on its own, which decides nothing
     * (what comes after it does) and so is never logged.
     */
    private static TreeSet<RuleIndex> loggedRules(String value, Tier tier, List<ClusterPolicyRule> ingress,
            List<ClusterPolicyRule> egress, Findings findings) {
        TreeSet<RuleIndex> out = new TreeSet<>();
        if (value == null) {
            return out;
        }
        String field = ModelTranslator.annotationField(LOG_RULES_ANNOTATION);
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            List<RuleIndex> named = new ArrayList<>();
            Matcher m = POSITION.matcher(entry);
            if (entry.equals("*")) {
                for (PolicyType direction : PolicyType.values()) {
                    List<ClusterPolicyRule> rules = direction == PolicyType.INGRESS ? ingress : egress;
                    for (int i = 0; i < rules.size(); i++) {
                        if (!(tier == Tier.ADMIN && rules.get(i).action() == RuleAction.PASS)) {
                            out.add(new RuleIndex(direction, i));
                        }
                    }
                }
                continue;
            } else if (m.matches()) {
                PolicyType direction = m.group(1).equals("ingress") ? PolicyType.INGRESS : PolicyType.EGRESS;
                int index = Integer.parseInt(m.group(2));
                int size = (direction == PolicyType.INGRESS ? ingress : egress).size();
                if (index >= size) {
                    findings.warn(field, "\"" + entry + "\" names no rule: spec." + m.group(1) + " has " + size
                            + " rule" + (size == 1 ? "" : "s") + "; ignored");
                    continue;
                }
                named.add(new RuleIndex(direction, index));
            } else {
                for (PolicyType direction : PolicyType.values()) {
                    List<ClusterPolicyRule> rules = direction == PolicyType.INGRESS ? ingress : egress;
                    for (int i = 0; i < rules.size(); i++) {
                        if (rules.get(i).name().equals(entry)) {
                            named.add(new RuleIndex(direction, i));
                        }
                    }
                }
                if (named.isEmpty()) {
                    findings.warn(field, "no rule is named \"" + entry + "\"; ignored (name a rule, write"
                            + " ingress[i] or egress[i], or * for all)");
                    continue;
                }
            }
            for (RuleIndex r : named) {
                ClusterPolicyRule rule = (r.direction() == PolicyType.INGRESS ? ingress : egress).get(r.index());
                if (tier == Tier.ADMIN && rule.action() == RuleAction.PASS) {
                    findings.warn(field, r + " is an Admin-tier Pass rule, which decides nothing (what comes after"
                            + " it does), so nothing is logged for it");
                } else {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /**
     * Translates one rule at its path; empty when it has errors (which reject the object). A rule that fails closed to
     * matching nothing is {@link ClusterPolicyRule#matchingNothing}, in its place.
     */
    private interface RuleTranslation<T> {
        Optional<ClusterPolicyRule> apply(T rule, String field, Findings findings);
    }

    private static Tier tier(dev.weir.crd.Tier tier, Findings findings) {
        if (tier == null) {
            findings.error("spec.tier", "Required value (Admin or Baseline)");
            return null;
        }
        return switch (tier) {
            case ADMIN -> Tier.ADMIN;
            case BASELINE -> Tier.BASELINE;
        };
    }

    private static RuleAction action(dev.weir.crd.RuleAction action, String field, Findings findings) {
        if (action == null) {
            findings.error(field + ".action", "Required value (Accept, Deny or Pass)");
            return null;
        }
        return switch (action) {
            case ACCEPT -> RuleAction.ACCEPT;
            case DENY -> RuleAction.DENY;
            case PASS -> RuleAction.PASS;
        };
    }

    private static Optional<ClusterPolicySubject> subject(Subject s, Findings findings) {
        if (s == null) {
            findings.error("spec.subject", "Required value");
            return Optional.empty();
        }
        if ((s.getNamespaces() == null) == (s.getPods() == null)) {
            findings.error("spec.subject", "exactly one of namespaces or pods must be set");
            return Optional.empty();
        }
        if (s.getNamespaces() != null) {
            return SelectorTranslator.translate(s.getNamespaces(), "spec.subject.namespaces", findings)
                    .map(ClusterPolicySubject.Namespaces::new);
        }
        return PeersTranslator.namespacedPod(s.getPods(), "spec.subject.pods", findings)
                .map(sel -> new ClusterPolicySubject.Pods(sel[0], sel[1]));
    }

    private static <T> List<ClusterPolicyRule> rules(List<T> rules, String field, Findings findings,
            RuleTranslation<T> translation) {
        if (rules == null) {
            return List.of();
        }
        if (rules.size() > ClusterPolicy.MAX_RULES) {
            findings.error(field, "must have at most " + ClusterPolicy.MAX_RULES + " items (found " + rules.size()
                    + ")");
            return List.of();
        }
        List<ClusterPolicyRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String path = field + "[" + i + "]";
            if (rules.get(i) == null) {
                findings.error(path, "must not be null");
                continue;
            }
            translation.apply(rules.get(i), path, findings).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<ClusterPolicyRule> ingressRule(IngressRule r, String field, Findings findings) {
        List<Optional<ClusterPolicyPeer>> peers = new ArrayList<>();
        List<IngressPeer> from = r.getFrom();
        if (checkPeerCount(from, field + ".from", findings)) {
            for (int i = 0; i < from.size(); i++) {
                peers.add(PeersTranslator.ingress(from.get(i), field + ".from[" + i + "]", findings));
            }
        }
        return rule(r.getName(), r.getAction(), peers, r.getProtocols(), field, findings);
    }

    private static Optional<ClusterPolicyRule> egressRule(EgressRule r, String field, Findings findings) {
        List<Optional<ClusterPolicyPeer>> peers = new ArrayList<>();
        List<EgressPeer> to = r.getTo();
        if (checkPeerCount(to, field + ".to", findings)) {
            for (int i = 0; i < to.size(); i++) {
                peers.add(PeersTranslator.egress(to.get(i), field + ".to[" + i + "]", findings));
            }
            boolean noNamedPorts = to.stream().anyMatch(p -> p != null
                    && (p.getNetworks() != null || p.getNodes() != null || p.getDomainNames() != null));
            boolean namedPort = r.getProtocols() != null && r.getProtocols().stream()
                    .anyMatch(p -> p != null && p.getDestinationNamedPort() != null);
            if (noNamedPorts && namedPort) {
                findings.error(field, "destinationNamedPort cannot be used with networks, nodes or domainNames peers,"
                        + " which have no named ports");
            }
        }
        return rule(r.getName(), r.getAction(), peers, r.getProtocols(), field, findings);
    }

    private static boolean checkPeerCount(List<?> peers, String field, Findings findings) {
        if (peers == null || peers.isEmpty()) {
            findings.error(field, "Required value: at least one peer");
            return false;
        }
        if (peers.size() > ClusterPolicyRule.MAX_PEERS) {
            findings.error(field, "must have at most " + ClusterPolicyRule.MAX_PEERS + " items (found "
                    + peers.size() + ")");
            return false;
        }
        return true;
    }

    /** The part both directions share: name, action, fail-closed peers, ports. */
    private static Optional<ClusterPolicyRule> rule(String name, dev.weir.crd.RuleAction crdAction,
            List<Optional<ClusterPolicyPeer>> translated, List<ProtocolMatch> protocols, String field,
            Findings findings) {
        int before = findings.errorCount();
        if (name != null && name.length() > ClusterPolicyRule.MAX_NAME_LENGTH) {
            findings.error(field + ".name", "may not be longer than " + ClusterPolicyRule.MAX_NAME_LENGTH
                    + " characters");
        }
        RuleAction action = action(crdAction, field, findings);
        Optional<ProtocolsTranslator.Ports> ports = ProtocolsTranslator.translate(protocols, field + ".protocols",
                findings);
        if (findings.errorCount() > before || action == null || ports.isEmpty()
                || translated.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        List<ClusterPolicyPeer> peers = translated.stream().map(Optional::get).toList();
        boolean unreadable = peers.stream().anyMatch(p -> p instanceof ClusterPolicyPeer.Anywhere);
        if (unreadable && action != RuleAction.ACCEPT) {
            // API: for Deny and Pass rules, fail closed means "treat the rule as a 'Deny all' rule".
            findings.warn(field, "a peer weir cannot enforce makes this " + action.apiName()
                    + " rule deny all traffic (fail closed)");
            return Optional.of(ClusterPolicyRule.denyAll(name));
        }
        List<ClusterPolicyPeer> readable = peers.stream().filter(p -> !(p instanceof ClusterPolicyPeer.Anywhere))
                .toList();
        // a rule matching nothing stays in place, so the rules after it keep their index in spec.ingress/spec.egress
        if (readable.isEmpty()) {
            // API: for Accept rules, fail closed means "treat the rule as matching no traffic".
            findings.warn(field, "no peer of this Accept rule can be enforced, so it matches no traffic");
            return Optional.of(ClusterPolicyRule.matchingNothing(name, action));
        }
        if (ports.get().matchesNothing()) {
            findings.warn(field, "no protocols entry can match, so this rule matches no traffic");
            return Optional.of(ClusterPolicyRule.matchingNothing(name, action));
        }
        return findings.attempt(field, () -> new ClusterPolicyRule(name, action, readable, ports.get().ports()));
    }
}
