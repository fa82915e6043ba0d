package dev.weir.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line flags. A command declares which flags take a value and which are switches; {@code --flag value},
 * {@code --flag=value} and repeated flags are accepted, anything else starting with {@code -} is a usage error, and the
 * remaining words are positional.
 */
public final class Args {

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Map<String, Boolean> switches = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * @param valued flags that take a value, spelled as written ({@code --node}, {@code -f}, {@code -o})
     * @param switchFlags flags without a value
     */
    public static Args parse(List<String> args, Set<String> valued, Set<String> switchFlags) {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ("--".equals(arg)) {
                a.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || "-".equals(arg)) {
                a.positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (switchFlags.contains(name)) {
                Main.UsageException.check(value == null, "%s takes no value", name);
                a.switches.put(name, true);
            } else if (valued.contains(name)) {
                if (value == null) {
                    Main.UsageException.check(i + 1 < args.size(), "%s needs a value", name);
                    value = args.get(++i);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new Main.UsageException("unknown flag " + name);
            }
        }
        return a;
    }

    public Optional<String> value(String flag) {
        List<String> v = values.get(flag);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    public String value(String flag, String fallback) {
        return value(flag).orElse(fallback);
    }

    /** Every value of a repeatable flag, in order. */
    public List<String> values(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    public boolean has(String flag) {
        return switches.getOrDefault(flag, false) || values.containsKey(flag);
    }

    public List<String> positional() {
        return positional;
    }

    /** An integer flag value, with a usage error naming the flag when it is not a number. */
    public int intValue(String flag, int fallback) {
        Optional<String> v = value(flag);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new Main.UsageException(flag + " wants a number, got \"" + v.get() + "\"");
        }
    }
}
