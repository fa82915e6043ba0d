package dev.weir.iptables.render;

import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The dispatch of {@code WEIR-INGRESS} / {@code WEIR-EGRESS} as a binary tree on the pod address, so a packet meets
 * about 2 log2(n) rules on its way to its pod's rule instead of up to n (issue 14: at 110 pods a new connection to the
 * last pod met 110 dispatch rules, and every packet of a remote peer as many for the side it does not match). A list
 * of at most {@link #LEAF} pods stays flat, exactly as before. A longer one is split at the first bit where its
 * addresses differ into the two halves of their common prefix; each half that holds one pod becomes that pod's rule,
 * each larger half a chain {@link Names#dispatchChain} entered by {@code -d <its common prefix>} ({@code -s} for
 * egress), split again the same way. An address outside every branch meets two rules at the top and leaves.
 *
 * <p>Same verdicts as the flat list: each leaf rule is the pod's own rule unchanged, the branches' prefixes are
 * disjoint, so a packet reaches exactly the leaf rules the flat list would have matched, in the same order (pods of
 * one address stay together and in their order).
 */
final class DispatchTree {

    /** Up to this many pods a chain lists them one by one (evaluating ≤ 8 rules costs about what 3 levels do). */
    static final int LEAF = 8;

    /** One local pod's dispatch rule and the address it matches. */
    record Entry(IpAddress address, IptablesRule rule) {
    }

    /** The rules of the dispatch chain itself, and the branch chains they jump to (empty when flat). */
    record Tree(List<IptablesRule> root, SortedMap<String, List<IptablesRule>> branches) {
    }

    private final PolicyType direction;
    private final SortedMap<String, List<IptablesRule>> branches = new TreeMap<>();

    private DispatchTree(PolicyType direction) {
        this.direction = direction;
    }

    /** The dispatch of {@code entries} (one family, in the order the flat list would have them). */
    static Tree of(PolicyType direction, List<Entry> entries) {
        DispatchTree t = new DispatchTree(direction);
        List<IptablesRule> root = entries.size() <= LEAF ? rules(entries) : t.split(entries);
        return new Tree(root, t.branches);
    }

    private List<IptablesRule> split(List<Entry> entries) {
        Cidr common = commonPrefix(entries);
        if (common.prefix() == common.family().bits()) {
            return rules(entries); // one address: nothing to split on
        }
        List<IptablesRule> out = new ArrayList<>();
        for (Cidr half : common.halves()) {
            List<Entry> part = entries.stream().filter(e -> half.contains(e.address())).toList();
            if (part.size() == 1) {
                out.add(part.get(0).rule());
            } else if (!part.isEmpty()) {
                Cidr branch = commonPrefix(part);
                String chain = Names.dispatchChain(direction, branch);
                branches.put(chain, part.size() <= LEAF ? rules(part) : split(part));
                String match = (direction == PolicyType.INGRESS ? "-d " : "-s ") + branch;
                out.add(IptablesRule.of(direction == PolicyType.INGRESS ? "ingress" : "egress", match, chain));
            }
        }
        return out;
    }

    /** The longest prefix all entries' addresses share (the lowest and highest address share it with every other). */
    private static Cidr commonPrefix(List<Entry> entries) {
        IpAddress low = entries.stream().map(Entry::address).min(Comparator.naturalOrder()).orElseThrow();
        IpAddress high = entries.stream().map(Entry::address).max(Comparator.naturalOrder()).orElseThrow();
        int prefix = low.family().bits();
        while (!low.masked(prefix).equals(high.masked(prefix))) {
            prefix--;
        }
        return new Cidr(low, prefix);
    }

    private static List<IptablesRule> rules(List<Entry> entries) {
        return entries.stream().map(Entry::rule).toList();
    }
}
