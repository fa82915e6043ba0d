package dev.weir.agent.denials;

import dev.weir.graph.Decision;
import dev.weir.iptables.render.Ruleset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What each NFLOG rule of one applied ruleset logs for: the rule's prefix ({@code weir:<8 hex>}) → the
 * {@link Decision} its drop carries out. The renderer knows it when it writes the rule; the agent only looks it up.
 * Immutable.
 */
public record DecisionIndex(Map<String, Decision> byPrefix) {

    /** Every prefix weir writes starts with this; others (another tool's NFLOG rules on the group) are not ours. */
    public static final String PREFIX = "weir:";

    public static final DecisionIndex EMPTY = new DecisionIndex(Map.of());

    public DecisionIndex {
        byPrefix = Map.copyOf(byPrefix);
    }

    /**
     * The decisions of a ruleset's NFLOG rules. Until the renderer's part of issue 16 lands ({@code Ruleset} carrying
     * its rules' decisions), a ruleset logs nothing and this is {@link #EMPTY}.
     */
    public static DecisionIndex of(Ruleset ruleset) {
        return EMPTY;
    }

    /** Whether a prefix is of weir's form, whatever its id. */
    public static boolean isWeir(String prefix) {
        return prefix.startsWith(PREFIX);
    }

    /** The decision of the rule that logged with {@code prefix}; empty when no rule of this ruleset has it. */
    public Optional<Decision> decision(String prefix) {
        return Optional.ofNullable(byPrefix.get(prefix));
    }

    public Collection<Decision> decisions() {
        return byPrefix.values();
    }
}
