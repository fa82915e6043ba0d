package dev.weir.k8s.admin;

import dev.weir.crd.EgressPeer;
import dev.weir.crd.IngressPeer;
import dev.weir.crd.NamespacedPod;
import dev.weir.k8s.Findings;
import dev.weir.k8s.SelectorTranslator;
import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.admin.ClusterPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code from}/{@code to} entries → model peers. An entry weir cannot read (no field set, which the API says means a
 * field from a newer API version, or {@code domainNames}, which weir does not enforce) becomes {@link #UNREADABLE};
 * the rule translator then fails closed as the API asks.
 */
final class PeersTranslator {

    /** Marker for a peer that must fail closed. Never reaches the model. */
    static final ClusterPolicyPeer UNREADABLE = new ClusterPolicyPeer.Anywhere();

    private static final int MAX_CIDR_LENGTH = 43;

    private PeersTranslator() {
    }

    static Optional<ClusterPolicyPeer> ingress(IngressPeer p, String field, Findings findings) {
        if (p == null) {
            findings.error(field, "must not be null");
            return Optional.empty();
        }
        int set = (p.getNamespaces() != null ? 1 : 0) + (p.getPods() != null ? 1 : 0);
        if (set > 1) {
            findings.error(field, "exactly one of namespaces or pods must be set (found " + set + ")");
            return Optional.empty();
        }
        if (p.getNamespaces() != null) {
            return namespaces(p.getNamespaces(), field + ".namespaces", findings);
        }
        if (p.getPods() != null) {
            return pods(p.getPods(), field + ".pods", findings);
        }
        findings.warn(field, "no peer field weir knows is set (an API version newer than v1alpha2?)");
        return Optional.of(UNREADABLE);
    }

    static Optional<ClusterPolicyPeer> egress(EgressPeer p, String field, Findings findings) {
        if (p == null) {
            findings.error(field, "must not be null");
            return Optional.empty();
        }
        int set = (p.getNamespaces() != null ? 1 : 0) + (p.getPods() != null ? 1 : 0) + (p.getNodes() != null ? 1 : 0)
                + (p.getNetworks() != null ? 1 : 0) + (p.getDomainNames() != null ? 1 : 0);
        if (set > 1) {
            findings.error(field, "exactly one of namespaces, pods, nodes, networks or domainNames must be set (found "
                    + set + ")");
            return Optional.empty();
        }
        if (p.getNamespaces() != null) {
            return namespaces(p.getNamespaces(), field + ".namespaces", findings);
        }
        if (p.getPods() != null) {
            return pods(p.getPods(), field + ".pods", findings);
        }
        if (p.getNodes() != null) {
            return SelectorTranslator.translate(p.getNodes(), field + ".nodes", findings)
                    .map(ClusterPolicyPeer.Nodes::new);
        }
        if (p.getNetworks() != null) {
            return networks(p.getNetworks(), field + ".networks", findings);
        }
        if (p.getDomainNames() != null) {
            findings.warn(field + ".domainNames", "domain name peers are not enforced by weir (iptables matches "
                    + "addresses, not names)");
            return Optional.of(UNREADABLE);
        }
        findings.warn(field, "no peer field weir knows is set (an API version newer than v1alpha2?)");
        return Optional.of(UNREADABLE);
    }

    private static Optional<ClusterPolicyPeer> namespaces(io.fabric8.kubernetes.api.model.LabelSelector s,
            String field, Findings findings) {
        return SelectorTranslator.translate(s, field, findings).map(ClusterPolicyPeer.Namespaces::new);
    }

    private static Optional<ClusterPolicyPeer> pods(NamespacedPod pods, String field, Findings findings) {
        return namespacedPod(pods, field, findings).map(s -> new ClusterPolicyPeer.Pods(s[0], s[1]));
    }

    /** {@code [namespaceSelector, podSelector]}; an omitted namespaceSelector selects every namespace. */
    static Optional<LabelSelector[]> namespacedPod(NamespacedPod pods, String field, Findings findings) {
        if (pods.getPodSelector() == null) {
            findings.error(field + ".podSelector", "Required value");
            return Optional.empty();
        }
        Optional<LabelSelector> ns =
                SelectorTranslator.translate(pods.getNamespaceSelector(), field + ".namespaceSelector", findings);
        Optional<LabelSelector> pod = SelectorTranslator.translate(pods.getPodSelector(), field + ".podSelector",
                findings);
        if (ns.isEmpty() || pod.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LabelSelector[] {ns.get(), pod.get()});
    }

    private static Optional<ClusterPolicyPeer> networks(List<String> networks, String field, Findings findings) {
        if (networks.isEmpty() || networks.size() > ClusterPolicyPeer.Networks.MAX_CIDRS) {
            findings.error(field, "must have 1 to " + ClusterPolicyPeer.Networks.MAX_CIDRS + " items (found "
                    + networks.size() + ")");
            return Optional.empty();
        }
        int before = findings.errorCount();
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < networks.size(); i++) {
            String text = networks.get(i);
            String path = field + "[" + i + "]";
            if (text == null || text.length() > MAX_CIDR_LENGTH) {
                findings.error(path, "must be a CIDR of at most " + MAX_CIDR_LENGTH + " characters");
                continue;
            }
            if (text.indexOf('/') < 0) {
                findings.error(path, "\"" + text + "\" is not in CIDR notation (address/prefix, e.g. 10.0.0.0/8)");
                continue;
            }
            findings.attempt(path, () -> Cidr.parse(text)).ifPresent(c -> {
                if (!IpAddress.parse(text.strip().substring(0, text.strip().indexOf('/'))).equals(c.network())) {
                    findings.warn(path, "\"" + text + "\" has host bits set; weir matches " + c);
                }
                cidrs.add(c);
            });
        }
        if (findings.errorCount() > before) {
            return Optional.empty();
        }
        return findings.attempt(field, () -> new ClusterPolicyPeer.Networks(cidrs));
    }
}
