package dev.weir.iptables.apply;

import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What weir owns in the bridge table ({@code nat}, {@link EbtablesScript#TABLE}): each {@code WEIR-*} chain with its
 * policy and rules, and the hooks (jumps from chains weir does not own into weir chains). Read from one
 * {@code ebtables-save} by {@link #parse}, the one reader of that format, or taken from the ruleset weir last applied.
 *
 * <p>ebtables has no comment match, so a rule is recognised by its text ({@link #key}): matches compared as a set of
 * clauses ({@code -p ARP}, {@code --arp-ip-src 10.0.0.2}, {@code -s ! 02:…}) with MAC addresses written with two hex
 * digits per byte, so a save that orders matches or pads MACs differently (ebtables-legacy) still reads back equal.
 */
public record InstalledBridge(Map<String, SavedChain> chains, List<InstalledHook> hooks) {

    public static final InstalledBridge EMPTY = new InstalledBridge(Map.of(), List.of());

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}");

    /** A weir chain as saved: its policy ({@code RETURN} as weir writes it) and its rules. */
    public record SavedChain(String policy, List<IptablesRule> rules) {

        public SavedChain {
            rules = List.copyOf(rules);
        }
    }

    public InstalledBridge {
        chains = Map.copyOf(chains);
        hooks = List.copyOf(hooks);
    }

    /** Parses {@code ebtables-save} output; only its {@code *nat} section counts. */
    public static InstalledBridge parse(String save) {
        Map<String, String> policies = new LinkedHashMap<>();
        Map<String, List<IptablesRule>> rules = new LinkedHashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        List<InstalledHook> hooks = new ArrayList<>();
        boolean inTable = false;
        for (String raw : save.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                inTable = line.equals("*" + EbtablesScript.TABLE);
            } else if (!inTable) {
                continue;
            } else if (line.startsWith(":")) {
                String[] parts = line.substring(1).split(" +");
                if (Names.isWeirChain(parts[0])) {
                    policies.put(parts[0], parts.length > 1 ? parts[1] : "");
                    rules.putIfAbsent(parts[0], new ArrayList<>());
                }
            } else if (line.startsWith("-A ")) {
                String[] parts = line.split(" +", 3);
                String chain = parts[1];
                String args = parts.length > 2 ? parts[2] : "";
                int position = positions.merge(chain, 1, Integer::sum) - 1;
                IptablesRule rule = rule(args);
                if (Names.isWeirChain(chain)) {
                    rules.computeIfAbsent(chain, c -> new ArrayList<>()).add(rule);
                } else if (Names.isWeirChain(rule.target())) {
                    hooks.add(new InstalledHook(chain, position, rule.target(), args));
                }
            }
        }
        Map<String, SavedChain> chains = new LinkedHashMap<>();
        rules.forEach((name, r) -> chains.put(name, new SavedChain(policies.getOrDefault(name, ""), r)));
        return new InstalledBridge(chains, hooks);
    }

    /** The state right after {@code desired} was applied successfully. */
    static InstalledBridge of(BridgeRuleset desired) {
        Map<String, SavedChain> chains = new LinkedHashMap<>();
        desired.chains().forEach(c -> chains.put(c.name(), new SavedChain(EbtablesScript.POLICY, c.rules())));
        List<InstalledHook> hooks = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (Hook h : desired.hooks()) {
            int position = positions.merge(h.builtinChain(), 1, Integer::sum) - 1;
            hooks.add(new InstalledHook(h.builtinChain(), position, h.target(), "-j " + h.target()));
        }
        return new InstalledBridge(chains, hooks);
    }

    /** Whether {@code chain} is installed with weir's policy and exactly its rules, each recognised by {@link #key}. */
    boolean holds(Chain chain) {
        SavedChain have = chains.get(chain.name());
        return have != null && have.policy().equals(EbtablesScript.POLICY)
                && keys(have.rules()).equals(keys(chain.rules()));
    }

    public boolean isEmpty() {
        return chains.isEmpty() && hooks.isEmpty();
    }

    /**
     * A rule's identity: its match clauses (an option, {@code !} if negated wherever it stood, its arguments) sorted,
     * MACs padded to two lower-case hex digits a byte, then the jump.
     */
    static String key(IptablesRule rule) {
        List<String> clauses = new ArrayList<>();
        String option = null;
        boolean negated = false;
        boolean pendingNot = false;
        List<String> args = new ArrayList<>();
        for (String token : InstalledFamily.tokenize(rule.matches())) {
            if (token.equals("!")) {
                if (option != null && args.isEmpty()) {
                    negated = true;
                } else {
                    pendingNot = true;
                }
            } else if (token.startsWith("-") && !token.equals("-")) {
                if (option != null) {
                    clauses.add(clause(option, negated, args));
                }
                option = token;
                negated = pendingNot;
                pendingNot = false;
                args.clear();
            } else {
                args.add(MAC.matcher(token).matches() ? mac(token) : token);
            }
        }
        if (option != null) {
            clauses.add(clause(option, negated, args));
        }
        clauses.sort(null);
        clauses.add("-j " + rule.target());
        return String.join(" ", clauses);
    }

    private static String clause(String option, boolean negated, List<String> args) {
        return option + (negated ? " !" : "") + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }

    private static List<String> keys(List<IptablesRule> rules) {
        return rules.stream().map(InstalledBridge::key).toList();
    }

    private static String mac(String token) {
        StringBuilder sb = new StringBuilder();
        for (String b : token.split(":")) {
            sb.append(sb.isEmpty() ? "" : ":").append(b.length() == 1 ? "0" : "").append(b.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** A saved rule: matches before {@code -j}, the target with its options after it. */
    private static IptablesRule rule(String args) {
        List<String> tokens = InstalledFamily.tokenize(args);
        int jump = tokens.indexOf("-j");
        return jump < 0
                ? new IptablesRule(String.join(" ", tokens), "", "")
                : new IptablesRule(String.join(" ", tokens.subList(0, jump)),
                        String.join(" ", tokens.subList(jump + 1, tokens.size())), "");
    }
}
