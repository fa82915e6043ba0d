package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        List<Chain> write = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (Chain c : desired.chains()) {
            wanted.add(c.name());
            if (!installed.holds(c)) {
                write.add(c);
            }
        }
        List<String> delete = installed.chains().keySet().stream().filter(n -> !wanted.contains(n)).sorted().toList();

        Map<String, List<Hook>> wantedHooks = new LinkedHashMap<>();
        desired.hooks().forEach(h -> wantedHooks.computeIfAbsent(h.builtinChain(), k -> new ArrayList<>()).add(h));
        Map<String, List<InstalledHook>> haveHooks = new LinkedHashMap<>();
        installed.hooks().forEach(h -> haveHooks.computeIfAbsent(h.chain(), k -> new ArrayList<>()).add(h));
        Set<String> hookChains = new LinkedHashSet<>(wantedHooks.keySet());
        hookChains.addAll(haveHooks.keySet());

        List<InstalledHook> remove = new ArrayList<>();
        List<Hook> insert = new ArrayList<>();
        for (String chain : hookChains) {
            List<Hook> want = wantedHooks.getOrDefault(chain, List.of());
            List<InstalledHook> have = haveHooks.getOrDefault(chain, List.of());
            if (!inPlace(want, have)) {
                remove.addAll(have);
                insert.addAll(want);
            }
        }
        return new FamilyPlan(desired.family(), write, delete, remove, insert);
    }

    /** The wanted hooks are exactly the first rules of their chain, in order, and no other hook is there. */
    private static boolean inPlace(List<Hook> want, List<InstalledHook> have) {
        if (want.size() != have.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            InstalledHook h = have.get(i);
            if (h.position() != i || !h.plain() || !h.target().equals(want.get(i).target())) {
                return false;
            }
        }
        return true;
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
