package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.LinkedHashMap;
import java.util.Map;

/** Everything weir owns in a namespace: both families' chains and hooks, and the weir ipsets. */
record InstalledState(InstalledFamily v4, InstalledFamily v6, Map<String, InstalledSet> sets) {

    InstalledState {
        sets = Map.copyOf(sets);
    }

    /** The state right after {@code desired} was applied successfully. */
    static InstalledState of(Ruleset desired) {
        Map<String, InstalledSet> sets = new LinkedHashMap<>();
        for (IpSetSpec s : desired.sets()) {
            sets.put(s.name(), InstalledSet.of(s));
        }
        return new InstalledState(InstalledFamily.of(desired.v4()), InstalledFamily.of(desired.v6()), sets);
    }

    InstalledFamily family(IpFamily family) {
        return family == IpFamily.V4 ? v4 : v6;
    }
}
