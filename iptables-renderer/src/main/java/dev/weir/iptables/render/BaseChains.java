package dev.weir.iptables.render;

import dev.weir.graph.CompiledPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The fixed chains and the per-endpoint-class chains: where marks are cleared, set and turned into verdicts. */
final class BaseChains {

    private final String accept;
    private final String drop;
    private final String seen;
    private final String mask;
    private final String pass;
    private final String tierMask;
    private final String connMark;

    BaseChains(RenderOptions options) {
        this.connMark = options.fastPath() ? RenderOptions.hex(options.connMark()) : null;
        this.pass = RenderOptions.hex(options.passMark());
        this.tierMask = RenderOptions.hex(options.tierMask());
        this.accept = RenderOptions.hex(options.acceptMark());
        this.drop = RenderOptions.hex(options.dropMark());
        this.seen = RenderOptions.hex(options.seenMark());
        this.mask = RenderOptions.hex(options.mask());
    }

    /**
     * Judges both sides of a forwarded packet: the source's egress, then (accept bit cleared) the destination's
     * ingress. Drop wins; judged packets that no side dropped are accepted; unjudged ones return untouched.
     *
     * <p>With the fast path ({@link RenderOptions#fastPath()}), the first judged and allowed packet of a connection
     * (conntrack {@code NEW}) also sets the conntrack-mark bit, and the connection's later packets, both ways, are
     * accepted by the first rule: an {@code ESTABLISHED} packet of a connection weir admitted would have been
     * allowed anyway (each side's endpoint chain returns {@code RELATED,ESTABLISHED} before any policy), so it skips
     * the dispatch trees and endpoint chains. It comes after the anti-spoofing chains, which the caller puts first.
     * Only {@code NEW} sets the bit, so a connection whose first packet weir did not judge (an unselected pod's, or
     * one tracked before the pod was selected) never gets it: its packets keep their path, judged or returned to the
     * host's rules as before. {@code RELATED} packets (ICMP errors) are not {@code ESTABLISHED} and keep the normal
     * path. A revoked flow's conntrack entry is deleted, and its mark with it. Without {@code judged} pods (none in
     * this family) nothing can set the mark, so there is no fast path either: its rule would cost every packet one
     * match and, in a namespace where nothing else does, load conntrack.
     */
    List<IptablesRule> forward(boolean judged) {
        boolean fastPath = connMark != null && judged;
        List<IptablesRule> out = new ArrayList<>();
        if (fastPath) {
            out.add(rule("forward", "-m conntrack --ctstate ESTABLISHED -m connmark --mark " + connMark + "/"
                    + connMark, "ACCEPT"));
        }
        out.add(rule("forward", "", "MARK --set-xmark 0x0/" + mask));
        out.add(rule("forward", "", Names.EGRESS));
        out.add(rule("forward", "-m mark --mark " + drop + "/" + drop, "DROP"));
        out.add(rule("forward", "", "MARK --set-xmark 0x0/" + accept));
        out.add(rule("forward", "", Names.INGRESS));
        out.add(rule("forward", "-m mark --mark 0x0/" + seen, "RETURN"));
        out.add(rule("forward", "-m mark --mark " + drop + "/" + drop, "DROP"));
        if (fastPath) {
            out.add(rule("forward", "-m conntrack --ctstate NEW", "CONNMARK --set-xmark " + connMark + "/"
                    + connMark));
        }
        out.add(rule("forward", "", "ACCEPT"));
        return out;
    }

    /**
     * A local pod talking to its own node: only the pod's egress applies. Allowed packets RETURN rather than ACCEPT,
     * so the host's own INPUT rules keep the last word on what reaches the node.
     */
    List<IptablesRule> input() {
        return List.of(
                rule("input", "", "MARK --set-xmark 0x0/" + mask),
                rule("input", "", Names.EGRESS),
                rule("input", "-m mark --mark " + drop + "/" + drop, "DROP"));
    }

    /** The node may always reach its own pods (NetworkPolicy API: traffic from the pod's node is allowed). */
    List<IptablesRule> output() {
        return List.of(rule("output", "", "RETURN"));
    }

    /**
     * The chain shared by local pods isolated by the same ordered policy list in one direction: replies of allowed
     * connections pass, invalid packets drop, then each policy chain may set the accept mark; none did, drop (after
     * {@code denyLog}, the NFLOG rule of that default deny, if it is logged).
     */
    List<IptablesRule> endpoint(PolicyType direction, List<IptablesRule> networkPolicyTier,
            Optional<IptablesRule> denyLog) {
        String role = direction == PolicyType.INGRESS ? "ingress" : "egress";
        List<IptablesRule> out = new ArrayList<>();
        out.add(rule(role, "", "MARK --set-xmark " + seen + "/" + seen));
        out.add(rule(role, "-m conntrack --ctstate RELATED,ESTABLISHED", "RETURN"));
        out.add(rule(role, "-m conntrack --ctstate INVALID", "DROP"));
        networkPolicyTier(role, networkPolicyTier, out);
        denyLog.ifPresent(out::add);
        out.add(rule(role, "", "MARK --set-xmark " + drop + "/" + drop));
        return out;
    }

    /**
     * The chain shared by local pods with the same Admin policies, NetworkPolicies and Baseline policies in one
     * direction (see {@code docs/dataplane.md}): replies pass, invalid packets drop; then the Admin tier (each policy
     * chain entered only while no accept, drop or pass bit is set): accept RETURNs, drop DROPs, pass is cleared and
     * goes on; then, if NetworkPolicies isolate the pod, they decide as in
     * {@link #endpoint(PolicyType, List, Optional)}; otherwise the Baseline tier: drop DROPs, anything else (accept,
     * pass, no match) is allowed. The cluster policy chains log their own rules; {@code denyLog} is NetworkPolicy's
     * default deny.
     */
    List<IptablesRule> endpoint(PolicyType direction, List<String> admin, List<String> policyKeys,
            List<IptablesRule> networkPolicyTier, List<String> baseline, Optional<IptablesRule> denyLog) {
        if (admin.isEmpty() && baseline.isEmpty()) {
            return endpoint(direction, networkPolicyTier, denyLog);
        }
        String role = direction == PolicyType.INGRESS ? "ingress" : "egress";
        List<IptablesRule> out = new ArrayList<>();
        out.add(rule(role, "", "MARK --set-xmark " + seen + "/" + seen));
        out.add(rule(role, "-m conntrack --ctstate RELATED,ESTABLISHED", "RETURN"));
        out.add(rule(role, "-m conntrack --ctstate INVALID", "DROP"));
        if (!admin.isEmpty()) {
            tier(direction, admin, out);
            out.add(rule("admin", "-m mark --mark " + accept + "/" + accept, "RETURN"));
            out.add(rule("admin", "-m mark --mark " + drop + "/" + drop, "DROP"));
            out.add(rule("admin", "", "MARK --set-xmark 0x0/" + pass));
        }
        if (!policyKeys.isEmpty()) {
            networkPolicyTier(role, networkPolicyTier, out);
            denyLog.ifPresent(out::add);
            out.add(rule(role, "", "MARK --set-xmark " + drop + "/" + drop));
        } else if (!baseline.isEmpty()) {
            tier(direction, baseline, out);
            out.add(rule("baseline", "-m mark --mark " + drop + "/" + drop, "DROP"));
            out.add(rule("baseline", "", "MARK --set-xmark 0x0/" + pass));
        }
        return out;
    }

    /** The merged NetworkPolicy rules ({@link PolicyChainRenderer#networkPolicyTier}), then RETURN if one accepted. */
    private void networkPolicyTier(String role, List<IptablesRule> rules, List<IptablesRule> out) {
        if (!rules.isEmpty()) {
            out.addAll(rules);
            out.add(rule(role, "-m mark --mark " + accept + "/" + accept, "RETURN"));
        }
    }

    private void tier(PolicyType direction, List<String> names, List<IptablesRule> out) {
        for (String name : names) {
            String owner = CompiledPolicy.keyOf(ObjectKey.clusterNetworkPolicy(name));
            out.add(rule(owner, "-m mark --mark 0x0/" + tierMask, Names.clusterPolicyChain(direction, name)));
        }
    }

    private static IptablesRule rule(String owner, String matches, String target) {
        return IptablesRule.of(owner, matches, target);
    }
}
