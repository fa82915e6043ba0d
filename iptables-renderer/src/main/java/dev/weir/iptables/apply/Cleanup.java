package dev.weir.iptables.apply;

import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * Removes every weir hook, chain and set from a namespace (both families, and the bridge table when ebtables is
 * installed) and nothing else: applying the empty ruleset against freshly read state. Hooks go first, then chains
 * ({@code -X}), in one restore per family and one {@code ebtables-restore}; sets after the iptables restores.
 */
public final class Cleanup {

    private final CommandRunner runner;
    private final IptablesBackend backend;

    public Cleanup(CommandRunner runner, IptablesBackend backend) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The ruleset that owns nothing. */
    public static Ruleset nothing(String node) {
        return new Ruleset(node, List.of(), new FamilyRuleset(IpFamily.V4, List.of(), List.of()),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()));
    }

    /** Removes everything weir owns; the report lists what went. */
    public ApplyReport run() {
        return new DataplaneApplier(runner, backend).apply(nothing("cleanup"));
    }
}
