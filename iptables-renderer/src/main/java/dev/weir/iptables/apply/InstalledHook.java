package dev.weir.iptables.apply;

/**
 * A rule in a chain weir does not own that jumps into a weir chain: a hook. {@code position} is its 0-based index in
 * that chain; {@code ruleArgs} is the rule as saved after {@code -A CHAIN}, so {@code -D CHAIN ruleArgs} removes
 * exactly it.
 */
public record InstalledHook(String chain, int position, String target, String ruleArgs) {

    /** Whether this is the plain jump weir inserts ({@code -j TARGET}, no matches). */
    public boolean plain() {
        return ruleArgs.equals("-j " + target);
    }
}
