package dev.weir.iptables.render;

import java.util.Collection;
import java.util.List;

/**
 * The text forms the kernel tools read. {@link #iptables} is an {@code iptables-restore --noflush} payload for the
 * filter table: declaring a chain ({@code :WEIR-X - [0:0]}) creates it or, under --noflush, flushes it, so the payload
 * replaces exactly the chains it names and leaves every other chain alone. {@link #ipset} is an {@code ipset restore}
 * payload that creates missing sets and replaces the members of each.
 */
public final class RestoreText {

    /** Initial bucket count; hash sets grow on their own. */
    public static final int IPSET_HASHSIZE = 1024;
    /**
     * The hard member limit, fixed so that {@code create … -exist} of an existing set never meets different options
     * (which ipset refuses). Memory is allocated per member, not per maxelem.
     */
    public static final int IPSET_MAXELEM = 1_048_576;

    private RestoreText() {
    }

    /** Every chain of the family ruleset, declared and filled, without hooks; empty text for an empty ruleset. */
    public static String iptables(FamilyRuleset ruleset) {
        return iptables(ruleset.chains(), List.of());
    }

    /**
     * The given chains, declared and filled, plus the given hooks inserted at position 1 (after the declarations, so
     * their targets exist). The applier passes only the chains that changed and the hooks that are missing.
     */
    public static String iptables(Collection<Chain> chains, Collection<Hook> hooksToInsert) {
        if (chains.isEmpty() && hooksToInsert.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("*filter\n");
        for (Chain c : chains) {
            sb.append(':').append(c.name()).append(" - [0:0]\n");
        }
        for (Chain c : chains) {
            for (IptablesRule r : c.rules()) {
                sb.append(ruleLine(c.name(), r)).append('\n');
            }
        }
        for (Hook h : hooksToInsert) {
            sb.append(hookInsert(h)).append('\n');
        }
        return sb.append("COMMIT\n").toString();
    }

    /** {@code -I FORWARD 1 -j WEIR-FORWARD}. */
    public static String hookInsert(Hook hook) {
        return "-I " + hook.builtinChain() + " 1 -j " + hook.target();
    }

    /** {@code -D FORWARD -j WEIR-FORWARD}, for cleanup. */
    public static String hookDelete(Hook hook) {
        return "-D " + hook.builtinChain() + " -j " + hook.target();
    }

    /** {@code -A CHAIN <matches> -m comment --comment "<comment>" <target>}: the form iptables-save prints back. */
    public static String ruleLine(String chain, IptablesRule rule) {
        return "-A " + chain + " " + withComment(rule);
    }

    /** The rule's spec with its comment placed just before the target ({@code -j}/{@code -g}). */
    public static String withComment(IptablesRule rule) {
        if (rule.comment() == null) {
            return rule.spec();
        }
        String comment = "-m comment --comment \"" + rule.comment() + "\"";
        String spec = rule.spec();
        int target = targetIndex(spec);
        if (target < 0) {
            return spec + " " + comment;
        }
        return (spec.substring(0, target) + comment + " " + spec.substring(target)).trim();
    }

    private static int targetIndex(String spec) {
        for (String t : new String[] {"-j ", "-g "}) {
            if (spec.startsWith(t)) {
                return 0;
            }
            int i = spec.lastIndexOf(" " + t);
            if (i >= 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Creates each set if missing, flushes it, adds its members: after it the sets hold exactly these members. */
    public static String ipset(List<IpSetSpec> sets) {
        StringBuilder sb = new StringBuilder();
        for (IpSetSpec s : sets) {
            sb.append(ipsetCreate(s.name(), s)).append('\n');
            sb.append("flush ").append(s.name()).append('\n');
            appendMembers(sb, s.name(), s);
        }
        return sb.toString();
    }

    /** {@code create NAME TYPE family inet hashsize … maxelem … -exist}; {@code name} may differ (a temporary set). */
    public static String ipsetCreate(String name, IpSetSpec spec) {
        return "create " + name + " " + spec.type().ipsetName() + " family "
                + (spec.family() == dev.weir.model.IpFamily.V4 ? "inet" : "inet6") + " hashsize " + IPSET_HASHSIZE
                + " maxelem " + IPSET_MAXELEM + " -exist";
    }

    /** The {@code add NAME member} lines of a set's members, under {@code name}. */
    public static String ipsetAdds(String name, IpSetSpec spec) {
        StringBuilder sb = new StringBuilder();
        appendMembers(sb, name, spec);
        return sb.toString();
    }

    private static void appendMembers(StringBuilder sb, String name, IpSetSpec spec) {
        for (String m : spec.members()) {
            sb.append("add ").append(name).append(' ').append(m).append('\n');
        }
    }
}
