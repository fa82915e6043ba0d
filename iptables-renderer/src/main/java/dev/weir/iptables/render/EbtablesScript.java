package dev.weir.iptables.render;

import java.util.Collection;

/**
 * The one writer of {@code ebtables-restore --noflush} input for the bridge {@code nat} table, where weir's layer-2
 * checks live ({@link BridgeRules}): {@code weir render} prints it, the golden files hold it and the applier sends it.
 * Declaring a chain ({@code :WEIR-L2 RETURN}) creates it or, under {@code --noflush}, flushes it and resets its policy,
 * so a script replaces exactly the chains it names and the rest of the table stays as it is. Lines keep the order of
 * {@link RestoreScript}: declarations, hook deletions, rules, hook insertions, chain deletions, in one transaction.
 */
public final class EbtablesScript {

    /** The ebtables table weir's chains live in: its PREROUTING runs before the bridge learns a source MAC. */
    public static final String TABLE = "nat";

    /** Every weir bridge chain's policy: a frame that passes its checks goes on to the caller's next rule. */
    public static final String POLICY = "RETURN";

    private final RestoreTransaction tx = new RestoreTransaction(TABLE);

    /** An empty script; {@link #text()} of it is empty. */
    public static EbtablesScript nat() {
        return new EbtablesScript();
    }

    /** Every chain and hook of the bridge ruleset, as written into a namespace without weir state; empty for none. */
    public static String install(BridgeRuleset ruleset) {
        return nat().write(ruleset.chains()).insert(ruleset.hooks()).text();
    }

    /** Declares (creates, or flushes and resets the policy of) each chain and appends its rules. */
    public EbtablesScript write(Collection<Chain> chains) {
        for (Chain c : chains) {
            tx.declare(':' + c.name() + ' ' + POLICY);
            c.rules().forEach(r -> tx.rule(append(c.name(), r)));
        }
        return this;
    }

    /** Flushes and deletes each chain; jumps into it must be deleted in the same script. */
    public EbtablesScript delete(Collection<String> chains) {
        for (String c : chains) {
            tx.declare(':' + c + ' ' + POLICY);
            tx.deleteChain(c);
        }
        return this;
    }

    /** Deletes the rule of {@code chain} whose text (after {@code -A CHAIN}) is {@code ruleArgs}, as saved. */
    public EbtablesScript deleteRule(String chain, String ruleArgs) {
        tx.deleteRule(chain, ruleArgs);
        return this;
    }

    /** Inserts the hooks at position 1 of their built-in chains; several into one chain go in reverse. */
    public EbtablesScript insert(Collection<Hook> hooks) {
        tx.insert(hooks);
        return this;
    }

    /** The script, ending in {@code COMMIT}; empty when nothing was added. */
    public String text() {
        return tx.text();
    }

    /** {@code -A CHAIN <matches> -j <target>}: the rule as {@code ebtables-save} prints it. */
    public static String append(String chain, IptablesRule rule) {
        return "-A " + chain + " " + rule.spec();
    }
}
