package dev.weir.iptables.render;

import java.util.List;
import java.util.Objects;

/** A weir-owned chain of the filter table and its rules, in order. Names are at most 28 characters. */
public record Chain(String name, List<IptablesRule> rules) {

    /** iptables' limit on chain names (XT_EXTENSION_MAXNAMELEN - 1 is 28 for user chains). */
    public static final int MAX_NAME_LENGTH = 28;

    public Chain {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("chain name \"" + name + "\" must be 1-28 characters");
        }
        rules = List.copyOf(rules);
    }
}
