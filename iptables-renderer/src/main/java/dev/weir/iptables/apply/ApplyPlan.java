package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one apply changes, computed purely from the desired {@link Ruleset} and the {@link InstalledState}: sets to
 * create, sets whose content changed (refilled through a scratch set and swapped), per-family filter changes, stale
 * sets to destroy once no rule refers to them, and the bridge (ebtables) changes.
 */
record ApplyPlan(List<IpSetSpec> setsToCreate, List<IpSetSpec> setsToRefill, FamilyPlan v4, FamilyPlan v6,
        List<String> setsToDestroy, BridgePlan bridge) {

    ApplyPlan {
        setsToCreate = List.copyOf(setsToCreate);
        setsToRefill = List.copyOf(setsToRefill);
        setsToDestroy = List.copyOf(setsToDestroy);
    }

    /**
     * @throws IllegalStateException when a desired set's content is unknown (read it first) or its type or family
     *     differs from the installed set of that name (ipset cannot swap those)
     */
    static ApplyPlan between(Ruleset desired, InstalledState installed) {
        List<IpSetSpec> create = new ArrayList<>();
        List<IpSetSpec> refill = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (IpSetSpec s : desired.sets()) {
            wanted.add(s.name());
            InstalledSet have = installed.sets().get(s.name());
            if (have == null) {
                create.add(s);
            } else if (!have.contentKnown()) {
                throw new IllegalStateException("content of set " + s.name() + " must be read before planning");
            } else if (!have.swappableWith(s)) {
                throw new IllegalStateException("set " + s.name() + " exists as " + have.type() + " " + have.family()
                        + " but is wanted as " + s.type().ipsetName() + " " + IpsetScript.familyWord(s.family())
                        + "; ipset cannot swap sets of different types (run weir cleanup)");
            } else if (!have.matches(s)) {
                refill.add(s);
            }
        }
        Set<String> temps = new HashSet<>();
        refill.forEach(s -> temps.add(Names.tempSet(s.name())));
        List<String> destroy = installed.sets().keySet().stream()
                .filter(n -> !wanted.contains(n) && !temps.contains(n)).sorted().toList();
        return new ApplyPlan(create, refill, FamilyPlan.between(desired.v4(), installed.v4()),
                FamilyPlan.between(desired.v6(), installed.v6()), destroy,
                BridgePlan.between(desired.bridge(), installed.bridge()));
    }

    boolean isEmpty() {
        return setsToCreate.isEmpty() && setsToRefill.isEmpty() && v4.isEmpty() && v6.isEmpty()
                && setsToDestroy.isEmpty() && bridge.isEmpty();
    }

    /** Whether {@code ipset restore} must run before the rules (a rule may refer to a new set). */
    boolean changesSets() {
        return !setsToCreate.isEmpty() || !setsToRefill.isEmpty();
    }
}
