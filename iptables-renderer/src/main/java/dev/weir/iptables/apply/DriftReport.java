package dev.weir.iptables.apply;

import java.util.List;

/**
 * How the kernel differs from the desired ruleset, as seen by {@link DriftCheck}. Entries are {@code v4 NAME} /
 * {@code v6 NAME} / {@code bridge NAME} for chains, {@code v4 FORWARD -> WEIR-FORWARD} or
 * {@code bridge FORWARD -> WEIR-L2} for hooks, a set's name for missing and stale sets,
 * and {@code NAME (-1 +2)} for a set whose members differ (one wanted member missing, two members weir never added),
 * or {@code NAME (hash:net inet)} for one of another type or family.
 */
public record DriftReport(List<String> missingChains, List<String> alteredChains, List<String> staleChains,
        List<String> missingHooks, List<String> missingSets, List<String> alteredSets, List<String> staleSets) {

    public DriftReport {
        missingChains = List.copyOf(missingChains);
        alteredChains = List.copyOf(alteredChains);
        staleChains = List.copyOf(staleChains);
        missingHooks = List.copyOf(missingHooks);
        missingSets = List.copyOf(missingSets);
        alteredSets = List.copyOf(alteredSets);
        staleSets = List.copyOf(staleSets);
    }

    public boolean isClean() {
        return missingChains.isEmpty() && alteredChains.isEmpty() && staleChains.isEmpty() && missingHooks.isEmpty()
                && missingSets.isEmpty() && alteredSets.isEmpty() && staleSets.isEmpty();
    }

    @Override
    public String toString() {
        if (isClean()) {
            return "no drift";
        }
        return "drift: missing chains " + missingChains + ", altered chains " + alteredChains + ", stale chains "
                + staleChains + ", missing/displaced hooks " + missingHooks + ", missing sets " + missingSets
                + ", altered sets " + alteredSets + ", stale sets " + staleSets;
    }
}
