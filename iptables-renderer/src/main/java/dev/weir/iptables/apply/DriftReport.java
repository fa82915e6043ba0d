package dev.weir.iptables.apply;

import java.util.List;

/**
 * How the kernel differs from the desired ruleset, as seen by {@link DriftCheck}. Entries are {@code v4 NAME} /
 * {@code v6 NAME} for chains and {@code v4 FORWARD -> WEIR-FORWARD} for hooks. Set membership is not compared (that
 * would need a full {@code ipset save}); a set that is missing is.
 */
public record DriftReport(List<String> missingChains, List<String> alteredChains, List<String> staleChains,
        List<String> missingHooks, List<String> missingSets, List<String> staleSets) {

    public DriftReport {
        missingChains = List.copyOf(missingChains);
        alteredChains = List.copyOf(alteredChains);
        staleChains = List.copyOf(staleChains);
        missingHooks = List.copyOf(missingHooks);
        missingSets = List.copyOf(missingSets);
        staleSets = List.copyOf(staleSets);
    }

    public boolean isClean() {
        return missingChains.isEmpty() && alteredChains.isEmpty() && staleChains.isEmpty() && missingHooks.isEmpty()
                && missingSets.isEmpty() && staleSets.isEmpty();
    }

    @Override
    public String toString() {
        if (isClean()) {
            return "no drift";
        }
        return "drift: missing chains " + missingChains + ", altered chains " + alteredChains + ", stale chains "
                + staleChains + ", missing/displaced hooks " + missingHooks + ", missing sets " + missingSets
                + ", stale sets " + staleSets;
    }
}
