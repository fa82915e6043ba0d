package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.model.IpFamily;
import java.util.List;

/**
 * The filter-table changes for one family: chains to (re)write, stale chains to delete, hooks to remove and insert.
 * Turned into exactly one {@code iptables-restore --noflush} transaction by {@link #restoreText()}; against a namespace
 * without weir state that is {@link RestoreScript#install}, the text of {@code weir render} and the golden files.
 */
record FamilyPlan(IpFamily family, List<Chain> chainsToWrite, List<String> chainsToDelete,
        List<InstalledHook> hooksToRemove, List<Hook> hooksToInsert) {

    FamilyPlan {
        chainsToWrite = List.copyOf(chainsToWrite);
        chainsToDelete = List.copyOf(chainsToDelete);
        hooksToRemove = List.copyOf(hooksToRemove);
        hooksToInsert = List.copyOf(hooksToInsert);
    }

    /** Diffs one family. Chains compare by their rules' comments; hooks must be the first rules of their chain. */
    static FamilyPlan between(FamilyRuleset desired, InstalledFamily installed) {
        ChainPlan chains = ChainPlan.between(desired.chains(), installed::holds, installed.chains().keySet());
        HookPlan hooks = HookPlan.between(desired.hooks(), installed.hooks());
        return new FamilyPlan(desired.family(), chains.write(), chains.delete(), hooks.remove(), hooks.insert());
    }

    boolean isEmpty() {
        return chainsToWrite.isEmpty() && chainsToDelete.isEmpty() && hooksToRemove.isEmpty()
                && hooksToInsert.isEmpty();
    }

    /**
     * One transaction: stale hooks go before stale chains so {@code -X} finds no reference, and the first wanted hook
     * of a chain ends at position 1 ({@link RestoreScript}). Chains and rules weir does not own are never named.
     */
    String restoreText() {
        RestoreScript script = RestoreScript.filter().write(chainsToWrite).delete(chainsToDelete).insert(hooksToInsert);
        hooksToRemove.forEach(h -> script.deleteRule(h.chain(), h.ruleArgs()));
        return script.text();
    }
}
