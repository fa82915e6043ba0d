package dev.weir.iptables.render;

import java.util.Collection;

/**
 * The one writer of {@code iptables-restore --noflush} input for the filter table: {@code weir render} prints it, the
 * golden files hold it and the applier sends it. Declaring a chain ({@code :WEIR-X - [0:0]}) creates it or, under
 * {@code --noflush}, flushes it, so a script replaces exactly the chains it names and leaves every other chain alone.
 * Whatever order the parts are added in, the text keeps the one order the kernel needs: declarations, hook deletions
 * (so {@code -X} finds no reference), rules, hook insertions (their targets exist by then), chain deletions.
 */
public final class RestoreScript {

    private final RestoreTransaction tx = new RestoreTransaction("filter");

    /** An empty script; {@link #text()} of it is empty. */
    public static RestoreScript filter() {
        return new RestoreScript();
    }

    /**
     * Every chain and hook of the family ruleset, as the applier writes it into a namespace that holds nothing of
     * weir's; empty text for an empty ruleset.
     */
    public static String install(FamilyRuleset ruleset) {
        return filter().write(ruleset.chains()).insert(ruleset.hooks()).text();
    }

    /** Declares (creates or flushes) each chain and appends its rules. */
    public RestoreScript write(Collection<Chain> chains) {
        for (Chain c : chains) {
            tx.declare(':' + c.name() + " - [0:0]");
            c.rules().forEach(r -> tx.rule(append(c.name(), r)));
        }
        return this;
    }

    /** Flushes and deletes each chain; hooks into it must be deleted in the same script. */
    public RestoreScript delete(Collection<String> chains) {
        for (String c : chains) {
            tx.declare(':' + c + " - [0:0]");
            tx.deleteChain(c);
        }
        return this;
    }

    /** Deletes the rule of {@code chain} whose text (after {@code -A CHAIN}) is {@code ruleArgs}, as saved. */
    public RestoreScript deleteRule(String chain, String ruleArgs) {
        tx.deleteRule(chain, ruleArgs);
        return this;
    }

    /**
     * Inserts the hooks at the top of their built-in chains ({@code -I FORWARD 1 -j WEIR-FORWARD}); hooks into the
     * same chain go in reverse, so the first of them ends at position 1.
     */
    public RestoreScript insert(Collection<Hook> hooks) {
        tx.insert(hooks);
        return this;
    }

    /** The script, one transaction ending in {@code COMMIT}; empty when nothing was added. */
    public String text() {
        return tx.text();
    }

    /**
     * {@code -A CHAIN <matches> -m comment --comment "<comment>" -j <target>}: the comment goes before the jump, as
     * iptables wants matches ahead of the target and its options, and as {@code iptables-save} prints it back.
     */
    public static String append(String chain, IptablesRule rule) {
        StringBuilder sb = new StringBuilder("-A ").append(chain);
        if (!rule.matches().isEmpty()) {
            sb.append(' ').append(rule.matches());
        }
        if (!rule.comment().isEmpty()) {
            sb.append(" -m comment --comment \"")
                    .append(rule.comment().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        if (!rule.target().isEmpty()) {
            sb.append(" -j ").append(rule.target());
        }
        return sb.toString();
    }
}
