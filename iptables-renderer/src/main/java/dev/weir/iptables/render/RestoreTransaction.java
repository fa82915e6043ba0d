package dev.weir.iptables.render;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout shared by the {@code iptables-restore} and {@code ebtables-restore} writers ({@link RestoreScript},
 * {@link EbtablesScript}): one {@code *<table>} … {@code COMMIT} transaction whose lines keep the one order the kernel
 * needs whatever order they were added in: chain declarations, hook deletions (so {@code -X} finds no reference),
 * rules, hook insertions (their targets exist by then), chain deletions. The writers own the spelling of each line.
 */
final class RestoreTransaction {

    private final String table;

    private final List<String> declarations = new ArrayList<>();
    private final List<String> hookDeletions = new ArrayList<>();
    private final List<String> rules = new ArrayList<>();
    private final List<String> hookInsertions = new ArrayList<>();
    private final List<String> chainDeletions = new ArrayList<>();

    RestoreTransaction(String table) {
        this.table = table;
    }

    void declare(String line) {
        declarations.add(line);
    }

    void rule(String line) {
        rules.add(line);
    }

    void deleteChain(String chain) {
        chainDeletions.add("-X " + chain);
    }

    void deleteRule(String chain, String ruleArgs) {
        hookDeletions.add("-D " + chain + " " + ruleArgs);
    }

    /** Hooks go to position 1 of their built-in chain; several into one chain in reverse, so the first ends on top. */
    void insert(Collection<Hook> hooks) {
        Map<String, List<Hook>> byChain = new LinkedHashMap<>();
        hooks.forEach(h -> byChain.computeIfAbsent(h.builtinChain(), k -> new ArrayList<>()).add(h));
        for (List<Hook> inChain : byChain.values()) {
            for (int i = inChain.size() - 1; i >= 0; i--) {
                Hook h = inChain.get(i);
                hookInsertions.add("-I " + h.builtinChain() + " 1 -j " + h.target());
            }
        }
    }

    /** The transaction ending in {@code COMMIT}; empty when nothing was added. */
    String text() {
        if (declarations.isEmpty() && hookDeletions.isEmpty() && hookInsertions.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("*").append(table).append('\n');
        for (List<String> part : List.of(declarations, hookDeletions, rules, hookInsertions, chainDeletions)) {
            part.forEach(line -> sb.append(line).append('\n'));
        }
        return sb.append("COMMIT\n").toString();
    }
}
