package dev.weir.lab.denials;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Denial records in words, for {@code weir lab denials} and {@code weir lab probe --denials}: one line per record,
 * its decision worded as {@code weir explain} words a reason ({@code ingress: x/a is isolated by x/deny-all and no
 * rule allows it: denied}), so a record and explain's reason for the same cell read alike. A record knows no
 * ClusterNetworkPolicy's priority, so its wording has the tier without it.
 */
public final class DenialText {

    private DenialText() {
    }

    /**
     * One line per record, columns aligned: time, node, {@code from -> to}, target, outcome, the decision in words
     * and the packet count.
     */
    public static List<String> lines(List<DenialRecord> records) {
        List<String[]> rows = new ArrayList<>();
        for (DenialRecord r : records) {
            rows.add(new String[] {r.time().toString(), r.node(), end(r.source()) + " -> " + end(r.destination()),
                target(r), r.decision().outcome().lower(),
                decision(r.decision(), end(r.protectedEnd())) + "  (" + packets(r.count()) + ")"});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                b.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            out.add(b.append(row[5]).toString());
        }
        return out;
    }

    /** {@code 3 packets}, {@code 1 packet}. */
    static String packets(long count) {
        return count + (count == 1 ? " packet" : " packets");
    }

    /** The pod ({@code namespace/name}), or the address when no pod holds it. */
    public static String end(DenialRecord.End e) {
        return e.pod().map(ObjectKey::namespacedName).orElse(e.ip().toString());
    }

    /** {@code 80/TCP} as explain writes a target; {@code ICMP type 8}; {@code protocol 47} without a port. */
    public static String target(DenialRecord r) {
        String protocol = DenialRecord.protocolName(r.protocol());
        boolean icmp = r.protocol() == 1 || r.protocol() == 58;
        if (r.port() < 0) {
            return protocol.chars().allMatch(Character::isDigit) ? "protocol " + protocol : protocol;
        }
        return icmp ? protocol + " type " + r.port() : r.port() + "/" + protocol;
    }

    /**
     * A decision as explain words the reason for one side, {@code subject} being the pod (or address) whose policies
     * applied: the destination for ingress, the source for egress.
     */
    public static String decision(Decision d, String subject) {
        String direction = d.direction().apiName().toLowerCase(Locale.ROOT);
        String objects = d.objects().stream().map(ObjectKey::namespacedName).collect(Collectors.joining(", "));
        String why = switch (d.cause()) {
            case DEFAULT_DENY -> subject + " is isolated by " + objects + " and no rule allows it: denied";
            case CLUSTER_POLICY_RULE -> switch (d.outcome()) {
                case DENY -> "denied by " + rule(d);
                case ALLOW -> "allowed by " + rule(d);
                case PASS -> "passed by " + rule(d) + ", which ends the Baseline tier: allowed by default";
            };
            case POLICY_RULE -> "allowed by " + objects;
            case NOT_ISOLATED -> subject + " is not selected by any policy with " + direction + " rules: allowed";
            case EXEMPT -> "exempt from policy: allowed";
            case SPOOFED_SOURCE -> objects + " sent a packet with an address not its own: denied (anti-spoofing)";
            case UNPROGRAMMED_POD -> subject + " is a local pod address weir has not programmed yet: denied "
                    + "(fail-closed)";
        };
        return direction + ": " + why;
    }

    /** {@code ClusterNetworkPolicy deny-y ingress[0] "no-y" (Admin)}, as explain names a rule but its priority. */
    private static String rule(Decision d) {
        Decision.RuleRef rule = d.rule().orElseThrow();
        String position = (d.direction() == PolicyType.INGRESS ? "ingress" : "egress") + "[" + rule.index() + "]";
        return d.objects().get(0) + " " + position + (rule.name().isEmpty() ? "" : " \"" + rule.name() + "\"") + " ("
                + d.tier().map(PolicyTier::word).orElse("no tier") + ")";
    }
}
