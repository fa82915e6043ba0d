package dev.weir.iptables.apply;

import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares what the kernel has (one {@code iptables-save} per family, one {@code ebtables-save} and one
 * {@code ipset save}) with the desired ruleset, purely. iptables chain contents compare by their rules' comments,
 * which carry a hash of each rule as rendered, so a flushed chain and a foreign rule inside a weir chain both show as
 * an altered chain; bridge chains compare by policy and rule text; sets compare by type, family and every member.
 */
public final class DriftCheck {

    private DriftCheck() {
    }

    static DriftReport compare(Ruleset desired, InstalledState kernel) {
        List<String> missing = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> hooks = new ArrayList<>();
        family("v4", desired.v4(), kernel.v4(), missing, altered, stale, hooks);
        family("v6", desired.v6(), kernel.v6(), missing, altered, stale, hooks);
        bridge(desired.bridge(), kernel.bridge(), missing, altered, stale, hooks);
        List<String> missingSets = new ArrayList<>();
        List<String> alteredSets = new ArrayList<>();
        for (IpSetSpec s : desired.sets()) {
            InstalledSet have = kernel.sets().get(s.name());
            if (have == null) {
                missingSets.add(s.name());
            } else {
                String difference = have.differenceFrom(s);
                if (difference != null) {
                    alteredSets.add(s.name() + " " + difference);
                }
            }
        }
        Set<String> wanted = desired.sets().stream().map(IpSetSpec::name).collect(Collectors.toSet());
        List<String> staleSets = kernel.sets().keySet().stream().filter(n -> !wanted.contains(n)).sorted().toList();
        return new DriftReport(missing, altered, stale, hooks, missingSets, alteredSets, staleSets);
    }

    private static void family(String tag, FamilyRuleset desired, InstalledFamily kernel, List<String> missing,
            List<String> altered, List<String> stale, List<String> hooks) {
        for (Chain c : desired.chains()) {
            if (!kernel.chains().containsKey(c.name())) {
                missing.add(tag + " " + c.name());
            } else if (!kernel.holds(c)) {
                altered.add(tag + " " + c.name());
            }
        }
        Set<String> wanted = desired.chains().stream().map(Chain::name).collect(Collectors.toSet());
        kernel.chains().keySet().stream().filter(n -> !wanted.contains(n)).sorted()
                .forEach(n -> stale.add(tag + " " + n));
        hooks(tag, desired.hooks(), kernel.hooks(), hooks);
    }

    /**
     * The bridge table, tagged {@code bridge}: a chain is altered when its policy is not weir's or its rules' text
     * differs ({@link InstalledBridge#key}); ebtables has no comments to compare.
     */
    private static void bridge(BridgeRuleset desired, InstalledBridge kernel, List<String> missing,
            List<String> altered, List<String> stale, List<String> hooks) {
        for (Chain c : desired.chains()) {
            if (!kernel.chains().containsKey(c.name())) {
                missing.add("bridge " + c.name());
            } else if (!kernel.holds(c)) {
                altered.add("bridge " + c.name());
            }
        }
        Set<String> wanted = desired.chains().stream().map(Chain::name).collect(Collectors.toSet());
        kernel.chains().keySet().stream().filter(n -> !wanted.contains(n)).sorted()
                .forEach(n -> stale.add("bridge " + n));
        hooks("bridge", desired.hooks(), kernel.hooks(), hooks);
    }

    /** Wanted hooks that are missing or not at the top of their chain, as the next apply would insert them. */
    private static void hooks(String tag, List<Hook> desired, List<InstalledHook> kernel, List<String> hooks) {
        for (Hook h : HookPlan.between(desired, kernel).insert()) {
            hooks.add(tag + " " + h.builtinChain() + " -> " + h.target());
        }
    }
}
