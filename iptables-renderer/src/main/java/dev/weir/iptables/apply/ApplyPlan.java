package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one apply changes, computed purely from the desired {@link Ruleset} and the {@link InstalledState}: sets to
 * create, sets whose content changed (their changed members added and deleted in place, or the whole set refilled
 * through a scratch set and swapped), per-family filter changes, stale sets to destroy once no rule refers to them,
 * and the bridge (ebtables) changes.
 *
 * <p>A set changes in place ({@link SetChange}) when weir knows what it holds because it applied it last, and the
 * change is at most {@link #IN_PLACE_FLOOR} members or no larger than the set will be. It is refilled and swapped when
 * its content was read from the kernel (the first apply, after a failure, after a drift check found a difference:
 * the swap leaves exactly the wanted members whatever was there) or when the change outnumbers the members it will
 * hold (a refill is then the shorter script).
 */
record ApplyPlan(List<IpSetSpec> setsToCreate, List<SetChange> setsToUpdate, List<IpSetSpec> setsToRefill,
        FamilyPlan v4, FamilyPlan v6, List<String> setsToDestroy, BridgePlan bridge) {

    /** Changes of up to this many members go in place whatever the set's size. */
    static final int IN_PLACE_FLOOR = 64;

    ApplyPlan {
        setsToCreate = List.copyOf(setsToCreate);
        setsToUpdate = List.copyOf(setsToUpdate);
        setsToRefill = List.copyOf(setsToRefill);
        setsToDestroy = List.copyOf(setsToDestroy);
    }

    /**
     * @throws IllegalStateException when a desired set's content is unknown (read it first) or its type or family
     *     differs from the installed set of that name (ipset cannot swap those)
     */
    static ApplyPlan between(Ruleset desired, InstalledState installed) {
        List<IpSetSpec> create = new ArrayList<>();
        List<SetChange> update = new ArrayList<>();
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
                        + " but is wanted as " + s.type().ipsetName() + " " + IpsetScript.familyWord(s)
                        + "; ipset cannot swap sets of different types (run weir cleanup)");
            } else if (have.applied() != null) {
                // one merge says whether and how it changed (a render that reused the set hands the same object)
                SetChange change = have.applied() == s ? null : SetChange.between(have.applied(), s);
                if (change == null || change.size() == 0) {
                    continue;
                }
                if (change.size() <= IN_PLACE_FLOOR || change.size() <= s.members().size()) {
                    update.add(change);
                } else {
                    refill.add(s);
                }
            } else if (!have.matches(s)) {
                refill.add(s);
            }
        }
        Set<String> temps = new HashSet<>();
        refill.forEach(s -> temps.add(Names.tempSet(s.name())));
        // unions first: the kernel destroys no set while a list:set holds it
        List<String> destroy = installed.sets().keySet().stream()
                .filter(n -> !wanted.contains(n) && !temps.contains(n))
                .sorted(Comparator.comparing((String n) -> !Names.isUnionSet(n)).thenComparing(Comparator.naturalOrder()))
                .toList();
        return new ApplyPlan(create, update, refill, FamilyPlan.between(desired.v4(), installed.v4()),
                FamilyPlan.between(desired.v6(), installed.v6()), destroy,
                BridgePlan.between(desired.bridge(), installed.bridge()));
    }

    boolean isEmpty() {
        return setsToCreate.isEmpty() && setsToUpdate.isEmpty() && setsToRefill.isEmpty() && v4.isEmpty() && v6.isEmpty()
                && setsToDestroy.isEmpty() && bridge.isEmpty();
    }

    /** Whether {@code ipset restore} must run before the rules (a rule may refer to a new set). */
    boolean changesSets() {
        return !setsToCreate.isEmpty() || !setsToUpdate.isEmpty() || !setsToRefill.isEmpty();
    }

    /**
     * The one {@code ipset restore} that runs before the rules: new sets created and filled, changed members deleted
     * and added in place, refilled sets swapped in.
     */
    String setScript() {
        IpsetScript script = IpsetScript.restore().create(setsToCreate);
        setsToUpdate.forEach(c -> script.update(c.name(), c.removed(), c.added()));
        return script.refill(setsToRefill).text();
    }
}
