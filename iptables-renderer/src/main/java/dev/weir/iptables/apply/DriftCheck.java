package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares what the kernel has (one {@code iptables-save} per family and {@code ipset list -n}) with the desired
 * ruleset, purely. Chain contents compare by their rules' comments, which carry a hash of each rule as rendered.
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
        List<String> missingSets = desired.sets().stream().map(IpSetSpec::name)
                .filter(n -> !kernel.sets().containsKey(n)).toList();
        List<String> wanted = desired.sets().stream().map(IpSetSpec::name).toList();
        List<String> staleSets = kernel.sets().keySet().stream().filter(n -> !wanted.contains(n)).sorted().toList();
        return new DriftReport(missing, altered, stale, hooks, missingSets, staleSets);
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
        List<String> wanted = desired.chains().stream().map(Chain::name).toList();
        kernel.chains().keySet().stream().filter(n -> !wanted.contains(n)).sorted()
                .forEach(n -> stale.add(tag + " " + n));
        FamilyPlan plan = FamilyPlan.between(new FamilyRuleset(desired.family(), desired.hooks(), List.of()),
                new InstalledFamily(java.util.Map.of(), kernel.hooks()));
        for (Hook h : plan.hooksToInsert()) {
            hooks.add(tag + " " + h.builtinChain() + " -> " + h.target());
        }
    }
}
