package dev.weir.iptables.render;

import dev.weir.iptables.render.PodInterface.Attachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The anti-spoofing checks of {@code WEIR-FROM-POD} as a tree on the interface name, so a packet meets a few rules
 * per level on its way to its pod's checks instead of every pod's (issue 14: at 110 pods on routed interfaces, every
 * packet that came from another node met all 330 of them). The shape is Felix's dispatch on {@code cali…} names:
 * {@code -i cali+ -j …}, then {@code -i cali3+ -j …}. At most {@link DispatchTree#LEAF} pods stay flat, exactly as
 * before. A longer list: a chain {@link Names#fromPodChain} for the name prefix all its interfaces share, entered by
 * {@code -i <prefix>+} ({@code -m physdev --physdev-in <prefix>+} for bridge ports), which branches on the next
 * character of the names; a branch of one pod holds that pod's rules, a larger one a chain split again the same way.
 * A packet from an interface of no pod (another node's traffic, the node's own) meets one rule per kind and leaves.
 *
 * <p>Same verdicts as the flat list: every rule of a pod matches its own interface only, so the pods' checks are
 * independent of their order, and a wildcard branch holds exactly the pods whose names start with its prefix. Names
 * that contain {@code +} (iptables reads a trailing one as a wildcard) stay flat, after the trees.
 */
final class InterfaceTree {

    /** One local pod's checks and the interface they match. */
    record Entry(PodInterface pod, List<IptablesRule> rules) {
    }

    private final Attachment attachment;
    private final SortedMap<String, List<IptablesRule>> branches;

    private InterfaceTree(Attachment attachment, SortedMap<String, List<IptablesRule>> branches) {
        this.attachment = attachment;
        this.branches = branches;
    }

    /** The rules of {@code WEIR-FROM-POD} for {@code entries} (in the flat list's order), and the branch chains. */
    static DispatchTree.Tree of(List<Entry> entries) {
        SortedMap<String, List<IptablesRule>> branches = new TreeMap<>();
        if (entries.size() <= DispatchTree.LEAF) {
            return new DispatchTree.Tree(rules(entries), branches);
        }
        List<IptablesRule> root = new ArrayList<>();
        List<Entry> flat = new ArrayList<>();
        for (Attachment kind : Attachment.values()) {
            List<Entry> ofKind = new ArrayList<>();
            for (Entry e : entries) {
                if (e.pod().attachment() == kind) {
                    (e.pod().name().contains("+") ? flat : ofKind).add(e);
                }
            }
            InterfaceTree t = new InterfaceTree(kind, branches);
            if (ofKind.size() == 1) {
                root.addAll(ofKind.get(0).rules());
            } else if (!ofKind.isEmpty()) {
                String prefix = commonPrefix(ofKind);
                if (prefix.isEmpty()) {
                    root.addAll(t.split(prefix, ofKind)); // "-i +" would be every interface, and saves as no match
                } else {
                    root.add(t.branch(ofKind));
                }
            }
        }
        root.addAll(rules(flat));
        return new DispatchTree.Tree(root, branches);
    }

    /** A jump, for the prefix {@code entries} (two or more) share, into a chain that holds them. */
    private IptablesRule branch(List<Entry> entries) {
        String prefix = commonPrefix(entries);
        String chain = Names.fromPodChain(attachment, prefix);
        branches.put(chain, entries.size() <= DispatchTree.LEAF ? rules(entries) : split(prefix, entries));
        String match = attachment == Attachment.ROUTED ? "-i " + prefix + "+"
                : "-m physdev --physdev-in " + prefix + "+";
        return IptablesRule.of("from-pod", match, chain);
    }

    /** {@code entries} all start with {@code prefix}, the longest they share: one branch per next character. */
    private List<IptablesRule> split(String prefix, List<Entry> entries) {
        List<IptablesRule> out = new ArrayList<>();
        Map<Character, List<Entry>> byNext = new TreeMap<>();
        for (Entry e : entries) {
            String name = e.pod().name();
            if (name.length() == prefix.length()) {
                out.addAll(e.rules()); // the name is the prefix itself
            } else {
                byNext.computeIfAbsent(name.charAt(prefix.length()), c -> new ArrayList<>()).add(e);
            }
        }
        for (List<Entry> group : byNext.values()) {
            if (group.size() == 1) {
                out.addAll(group.get(0).rules());
            } else {
                out.add(branch(group));
            }
        }
        return out;
    }

    private static String commonPrefix(List<Entry> entries) {
        String prefix = entries.get(0).pod().name();
        for (Entry e : entries) {
            String name = e.pod().name();
            int i = 0;
            while (i < prefix.length() && i < name.length() && prefix.charAt(i) == name.charAt(i)) {
                i++;
            }
            prefix = prefix.substring(0, i);
        }
        return prefix;
    }

    private static List<IptablesRule> rules(List<Entry> entries) {
        List<IptablesRule> out = new ArrayList<>();
        entries.forEach(e -> out.addAll(e.rules()));
        return out;
    }
}
