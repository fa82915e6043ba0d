package dev.weir.model;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a rule's {@code from}/{@code to}. Within one entry namespaceSelector and podSelector are ANDed;
 * separate entries are ORed (the rule holds the list).
 */
public sealed interface Peer {

    /**
     * Pods selected by label. {@code namespaceSelector == null} means the policy's own namespace;
     * {@code LabelSelector.all()} means every namespace. {@code podSelector} defaults to all pods.
     */
    record Pods(LabelSelector namespaceSelector, LabelSelector podSelector) implements Peer {
        public Pods {
            Objects.requireNonNull(podSelector, "podSelector (use LabelSelector.all())");
        }

        /** Pods of the policy's own namespace. */
        public static Pods inPolicyNamespace(LabelSelector podSelector) {
            return new Pods(null, podSelector);
        }
    }

    /**
     * An ipBlock: {@code cidr} minus every {@code except}. The API requires each except to lie strictly inside the
     * cidr and in the same family.
     */
    record IpBlock(Cidr cidr, List<Cidr> except) implements Peer {
        public IpBlock {
            Objects.requireNonNull(cidr, "cidr");
            except = except.stream().distinct().sorted().toList();
            for (Cidr e : except) {
                if (e.family() != cidr.family()) {
                    throw new IllegalArgumentException("except " + e + " is not of the same IP family as " + cidr);
                }
                if (!cidr.contains(e) || e.prefix() <= cidr.prefix()) {
                    throw new IllegalArgumentException("except " + e + " must be strictly within cidr " + cidr);
                }
            }
        }

        public boolean contains(IpAddress address) {
            return cidr.contains(address) && except.stream().noneMatch(e -> e.contains(address));
        }
    }
}
