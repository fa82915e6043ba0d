package dev.weir.iptables.apply;

import dev.weir.graph.Ids;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.RestoreScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What weir owns in one family's filter table: each weir chain with its rules, and the hooks (jumps from chains weir
 * does not own into weir chains). Read from one {@code iptables-save -t filter} by {@link #parse}, the one reader of
 * that format, or taken from the ruleset weir last applied. Rules of other chains are never kept.
 */
public record InstalledFamily(Map<String, List<IptablesRule>> chains, List<InstalledHook> hooks) {

    public static final InstalledFamily EMPTY = new InstalledFamily(Map.of(), List.of());

    public InstalledFamily {
        Map<String, List<IptablesRule>> copy = new LinkedHashMap<>();
        chains.forEach((name, rules) -> copy.put(name, List.copyOf(rules)));
        chains = Map.copyOf(copy);
        hooks = List.copyOf(hooks);
    }

    /**
     * Parses {@code iptables-save} (or {@code ip6tables-save}) output; only its {@code *filter} section counts. A
     * weir rule's comment and target are split off the way {@link RestoreScript#append} joins them.
     */
    public static InstalledFamily parse(String save) {
        Map<String, List<IptablesRule>> chains = new LinkedHashMap<>();
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
                List<String> tokens = tokenize(args);
                if (Names.isWeirChain(chain)) {
                    chains.computeIfAbsent(chain, c -> new ArrayList<>()).add(rule(tokens));
                } else {
                    String target = target(tokens);
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
        Map<String, List<IptablesRule>> chains = new LinkedHashMap<>();
        desired.chains().forEach(c -> chains.put(c.name(), c.rules()));
        List<InstalledHook> hooks = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (Hook h : desired.hooks()) {
            int position = positions.merge(h.builtinChain(), 1, Integer::sum) - 1;
            hooks.add(new InstalledHook(h.builtinChain(), position, h.target(), "-j " + h.target()));
        }
        return new InstalledFamily(chains, hooks);
    }

    /** Whether {@code chain} is installed with exactly its rules, each recognised by {@link #key}. */
    boolean holds(Chain chain) {
        List<IptablesRule> have = chains.get(chain.name());
        return have != null && keys(have).equals(keys(chain.rules()));
    }

    public boolean isEmpty() {
        return chains.isEmpty() && hooks.isEmpty();
    }

    /**
     * How the applier recognises a rule without comparing its matches (which iptables normalises: {@code -s 10.0.0.1}
     * comes back as {@code -s 10.0.0.1/32}, {@code -p tcp} gains {@code -m tcp}): by its comment, which carries a
     * hash of the rule as rendered; a rule without a comment by a hash of its spec.
     */
    static String key(IptablesRule rule) {
        return rule.comment().isBlank() ? "weir " + Ids.hex(rule.spec()).substring(0, 8) : rule.comment();
    }

    private static List<String> keys(List<IptablesRule> rules) {
        return rules.stream().map(InstalledFamily::key).toList();
    }

    /** A saved rule: the comment match lifted out (wherever it stands), the target with its options after -j. */
    private static IptablesRule rule(List<String> tokens) {
        List<String> rest = new ArrayList<>();
        String comment = "";
        for (int i = 0; i < tokens.size(); i++) {
            if (i + 3 < tokens.size() && tokens.get(i).equals("-m") && tokens.get(i + 1).equals("comment")
                    && tokens.get(i + 2).equals("--comment")) {
                comment = tokens.get(i + 3);
                i += 3;
            } else {
                rest.add(quoted(tokens.get(i)));
            }
        }
        int jump = rest.indexOf("-j");
        return jump < 0
                ? new IptablesRule(String.join(" ", rest), "", comment)
                : new IptablesRule(String.join(" ", rest.subList(0, jump)),
                        String.join(" ", rest.subList(jump + 1, rest.size())), comment);
    }

    /** The jump ({@code -j}) or goto ({@code -g}) target of a rule, or null. */
    private static String target(List<String> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals("-j") || tokens.get(i).equals("-g")) {
                return tokens.get(i + 1);
            }
        }
        return null;
    }

    /** Splits on blanks; double quotes group, a backslash escapes the next character, as iptables-save writes. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String quoted(String token) {
        boolean plain = !token.isEmpty() && token.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\\');
        return plain ? token : '"' + token.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
