package dev.weir.iptables.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What weir owns in the filter table, read back from {@code iptables-save} output: every {@code WEIR-} chain with its
 * rules (spec and comment split the way {@link RestoreText} joins them) and every jump from a built-in chain into a
 * weir chain with its position. Rules of other chains are counted, never kept. Pure: text in, value out.
 */
public record IptablesSave(SortedMap<String, List<IptablesRule>> chains, List<InstalledHook> hooks) {

    public IptablesSave {
        SortedMap<String, List<IptablesRule>> copy = new TreeMap<>();
        chains.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        chains = Collections.unmodifiableSortedMap(copy);
        hooks = List.copyOf(hooks);
    }

    /** A jump into a weir chain found in a chain weir does not own; {@code position} counts from 1. */
    public record InstalledHook(Hook hook, int position) {
    }

    /** Parses the {@code *filter} section of {@code iptables-save} (or {@code ip6tables-save}) output. */
    public static IptablesSave parse(String saveOutput) {
        SortedMap<String, List<IptablesRule>> chains = new TreeMap<>();
        List<InstalledHook> hooks = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        boolean inFilter = false;
        for (String raw : saveOutput.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                inFilter = line.equals("*filter");
                continue;
            }
            if (!inFilter || line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("COMMIT")) {
                inFilter = false;
            } else if (line.startsWith(":")) {
                String name = line.substring(1).split(" ", 2)[0];
                if (name.startsWith(Names.CHAIN_PREFIX)) {
                    chains.computeIfAbsent(name, k -> new ArrayList<>());
                }
            } else if (line.startsWith("-A ")) {
                List<String> tokens = tokenize(line);
                String chain = tokens.get(1);
                List<String> rest = tokens.subList(2, tokens.size());
                int position = positions.merge(chain, 1, Integer::sum);
                if (chain.startsWith(Names.CHAIN_PREFIX)) {
                    chains.computeIfAbsent(chain, k -> new ArrayList<>()).add(rule(rest));
                } else {
                    String target = target(rest);
                    if (target != null && target.startsWith(Names.CHAIN_PREFIX)) {
                        hooks.add(new InstalledHook(new Hook(chain, target), position));
                    }
                }
            }
        }
        return new IptablesSave(chains, hooks);
    }

    /** The rules of a weir chain, or null when the chain is not installed. */
    public List<IptablesRule> chain(String name) {
        return chains.get(name);
    }

    /** True when the hook is installed at position 1 of its built-in chain. */
    public boolean hookAtTop(Hook hook) {
        return hooks.contains(new InstalledHook(hook, 1));
    }

    private static IptablesRule rule(List<String> tokens) {
        List<String> spec = new ArrayList<>();
        String comment = null;
        for (int i = 0; i < tokens.size(); i++) {
            if (i + 3 < tokens.size() && tokens.get(i).equals("-m") && tokens.get(i + 1).equals("comment")
                    && tokens.get(i + 2).equals("--comment")) {
                comment = tokens.get(i + 3);
                i += 3;
            } else {
                String t = tokens.get(i);
                spec.add(t.isEmpty() || t.contains(" ") || t.contains("\"") ? quote(t) : t);
            }
        }
        return new IptablesRule(String.join(" ", spec), comment);
    }

    private static String target(List<String> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals("-j") || tokens.get(i).equals("-g")) {
                return tokens.get(i + 1);
            }
        }
        return null;
    }

    /** Splits on spaces, honouring double quotes and backslash escapes as iptables-save writes them. */
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

    private static String quote(String t) {
        return "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
