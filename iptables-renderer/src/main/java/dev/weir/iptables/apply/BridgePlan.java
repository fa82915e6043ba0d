package dev.weir.iptables.apply;

import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.Hook;
import java.util.List;

/**
 * The bridge table changes (ebtables {@code nat}, see {@link EbtablesScript#TABLE}): chains to (re)write, stale chains
 * to delete, hooks to remove and insert. Turned into exactly one {@code ebtables-restore --noflush} transaction by
 * {@link #restoreText()}; against a namespace without weir state that is {@link EbtablesScript#install}, the text of
 * {@code weir render} and the golden files.
 */
record BridgePlan(List<Chain> chainsToWrite, List<String> chainsToDelete, List<InstalledHook> hooksToRemove,
        List<Hook> hooksToInsert) {

    static final BridgePlan NONE = new BridgePlan(List.of(), List.of(), List.of(), List.of());

    BridgePlan {
        chainsToWrite = List.copyOf(chainsToWrite);
        chainsToDelete = List.copyOf(chainsToDelete);
        hooksToRemove = List.copyOf(hooksToRemove);
        hooksToInsert = List.copyOf(hooksToInsert);
    }

    /** Chains compare by policy and rule text ({@link InstalledBridge#key}); hooks as iptables' ({@link HookPlan}). */
    static BridgePlan between(BridgeRuleset desired, InstalledBridge installed) {
        ChainPlan chains = ChainPlan.between(desired.chains(), installed::holds, installed.chains().keySet());
        HookPlan hooks = HookPlan.between(desired.hooks(), installed.hooks());
        return new BridgePlan(chains.write(), chains.delete(), hooks.remove(), hooks.insert());
    }

    boolean isEmpty() {
        return chainsToWrite.isEmpty() && chainsToDelete.isEmpty() && hooksToRemove.isEmpty()
                && hooksToInsert.isEmpty();
    }

    /** One transaction: stale hooks are deleted before stale chains, so {@code -X} finds no reference. */
    String restoreText() {
        EbtablesScript script = EbtablesScript.nat().write(chainsToWrite).delete(chainsToDelete)
                .insert(hooksToInsert);
        hooksToRemove.forEach(h -> script.deleteRule(h.chain(), h.ruleArgs()));
        return script.text();
    }

    ApplyReport.FamilyChanges changes() {
        List<String> hooks = hooksToInsert.stream().map(h -> h.builtinChain() + " -> " + h.target()).toList();
        return new ApplyReport.FamilyChanges(chainsToWrite.stream().map(Chain::name).toList(), chainsToDelete, hooks,
                hooksToRemove.size());
    }
}
