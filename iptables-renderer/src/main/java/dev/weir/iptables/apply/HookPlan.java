package dev.weir.iptables.apply;

import dev.weir.iptables.render.Hook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which hooks (jumps from chains weir does not own into weir chains) to delete and which to insert, for iptables and
 * ebtables alike: the wanted hooks must be exactly the first rules of their built-in chain, in order, without
 * matches; a chain where that does not hold loses all its weir jumps and gets the wanted ones inserted at the top.
 */
record HookPlan(List<InstalledHook> remove, List<Hook> insert) {

    HookPlan {
        remove = List.copyOf(remove);
        insert = List.copyOf(insert);
    }

    static HookPlan between(List<Hook> desired, List<InstalledHook> installed) {
        Map<String, List<Hook>> wantedHooks = new LinkedHashMap<>();
        desired.forEach(h -> wantedHooks.computeIfAbsent(h.builtinChain(), k -> new ArrayList<>()).add(h));
        Map<String, List<InstalledHook>> haveHooks = new LinkedHashMap<>();
        installed.forEach(h -> haveHooks.computeIfAbsent(h.chain(), k -> new ArrayList<>()).add(h));
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
        return new HookPlan(remove, insert);
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
}
