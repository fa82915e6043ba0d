package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything weir owns in a namespace: both families' chains and hooks, the weir ipsets, and the bridge table's chains
 * and hooks ({@link InstalledBridge#EMPTY} when ebtables cannot be used there).
 */
record InstalledState(InstalledFamily v4, InstalledFamily v6, Map<String, InstalledSet> sets, InstalledBridge bridge) {

    InstalledState {
        sets = Map.copyOf(sets);
        Objects.requireNonNull(bridge, "bridge");
    }

    /** The state right after {@code desired} was applied successfully. */
    static InstalledState of(Ruleset desired) {
        Map<String, InstalledSet> sets = new LinkedHashMap<>();
        for (IpSetSpec s : desired.sets()) {
            sets.put(s.name(), InstalledSet.of(s));
        }
        return new InstalledState(InstalledFamily.of(desired.v4()), InstalledFamily.of(desired.v6()), sets,
                InstalledBridge.of(desired.bridge()));
    }

    InstalledState withBridge(InstalledBridge bridge) {
        return new InstalledState(v4, v6, sets, bridge);
    }

    InstalledFamily family(IpFamily family) {
        return family == IpFamily.V4 ? v4 : v6;
    }
}
