package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What weir owns in one family's filter table: each weir chain as the ordered comments of its rules (see
 * {@link RuleKeys}), and the hooks into weir chains. Read from one {@code iptables-save -t filter}, or taken from the
 * ruleset weir last applied.
 */
record InstalledFamily(Map<String, List<String>> chains, List<InstalledHook> hooks) {

    static final InstalledFamily EMPTY = new InstalledFamily(Map.of(), List.of());

    private static final String NO_COMMENT = "";

    InstalledFamily {
        chains = Map.copyOf(chains);
        hooks = List.copyOf(hooks);
    }

    /** Parses {@code iptables-save -t filter} output; rules in chains weir does not own are ignored unless hooks. */
    static InstalledFamily parse(String save) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        List<InstalledHook> hooks = new ArrayList<>();
        boolean inFilter = false;
        for (String raw : save.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                inFilter = line.equals("*filter");
            } else if (!inFilter) {
                continue;
            } else if (line.startsWith(":")) {
                String name = line.substring(1).split(" ", 2)[0];
                if (Names.isWeirChain(name)) {
                    chains.putIfAbsent(name, new ArrayList<>());
                }
            } else if (line.startsWith("-A ")) {
                String[] parts = line.split(" ", 3);
                String chain = parts[1];
                String args = parts.length > 2 ? parts[2] : "";
                int position = positions.merge(chain, 1, Integer::sum) - 1;
                List<String> tokens = Tokens.split(args);
                if (Names.isWeirChain(chain)) {
                    String comment = Tokens.valueOf(tokens, "--comment");
                    chains.computeIfAbsent(chain, c -> new ArrayList<>()).add(comment == null ? NO_COMMENT : comment);
                } else {
                    String target = Tokens.target(tokens);
                    if (target != null && Names.isWeirChain(target)) {
                        hooks.add(new InstalledHook(chain, position, target, args));
                    }
                }
            }
        }
        return new InstalledFamily(chains, hooks);
    }

    /** The state right after {@code desired} was applied successfully. */
    static InstalledFamily of(FamilyRuleset desired) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        for (Chain c : desired.chains()) {
            chains.put(c.name(), RuleKeys.keys(c));
        }
        List<InstalledHook> hooks = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (Hook h : desired.hooks()) {
            int position = positions.merge(h.builtinChain(), 1, Integer::sum) - 1;
            hooks.add(new InstalledHook(h.builtinChain(), position, h.target(), "-j " + h.target()));
        }
        return new InstalledFamily(chains, hooks);
    }

    boolean isEmpty() {
        return chains.isEmpty() && hooks.isEmpty();
    }
}
