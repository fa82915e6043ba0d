package dev.weir.iptables.render;

import dev.weir.graph.Decision;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything weir wants programmed on one node, as data: the ipsets (both families), the filter-table hooks and
 * chains per family, and the bridge (ebtables) filter table's layer-2 checks. The renderers produce it; the applier
 * makes the kernel match it. {@code decisions} maps the id of every NFLOG prefix the chains carry
 * ({@code weir:<id>}) to the {@link Decision} of the place the rule stands, so a logged packet is read back with the
 * ruleset it was logged by ({@link #decision(String)}).
 */
public record Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6, BridgeRuleset bridge,
        SortedMap<String, Decision> decisions) {

    public Ruleset {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(v4, "v4");
        Objects.requireNonNull(v6, "v6");
        Objects.requireNonNull(bridge, "bridge");
        sets = List.copyOf(sets);
        decisions = Collections.unmodifiableSortedMap(new TreeMap<>(decisions));
    }

    /** A ruleset without NFLOG rules. */
    public Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6, BridgeRuleset bridge) {
        this(node, sets, v4, v6, bridge, new TreeMap<>());
    }

    /** A ruleset that owns nothing in the bridge table and has no NFLOG rules. */
    public Ruleset(String node, List<IpSetSpec> sets, FamilyRuleset v4, FamilyRuleset v6) {
        this(node, sets, v4, v6, BridgeRuleset.EMPTY);
    }

    /** This ruleset with {@code bridge} as its bridge table ({@link BridgeRules#render}). */
    public Ruleset withBridge(BridgeRuleset bridge) {
        return new Ruleset(node, sets, v4, v6, bridge, decisions);
    }

    /**
     * The decision an NFLOG packet's prefix stands for, as {@code NflogPacket.prefix()} gives it
     * ({@code weir:1234abcd}); empty for a prefix this ruleset never wrote (another ruleset's, or not weir's).
     */
    public Optional<Decision> decision(String nflogPrefix) {
        if (nflogPrefix == null || !nflogPrefix.startsWith(Names.NFLOG_PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(decisions.get(nflogPrefix.substring(Names.NFLOG_PREFIX.length())));
    }

    /** {@code decisions} keyed by the whole prefix, {@code weir:1234abcd}. */
    public Map<String, Decision> decisionsByPrefix() {
        SortedMap<String, Decision> out = new TreeMap<>();
        decisions.forEach((id, d) -> out.put(Names.NFLOG_PREFIX + id, d));
        return Collections.unmodifiableSortedMap(out);
    }
}
