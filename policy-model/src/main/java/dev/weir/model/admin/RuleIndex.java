package dev.weir.model.admin;

import dev.weir.model.PolicyType;
import java.util.Comparator;
import java.util.Objects;

/**
 * A rule of a ClusterNetworkPolicy by its place: {@code spec.ingress} or {@code spec.egress} and its index there as
 * written, printed {@code ingress[0]}. Ingress before egress, then by index.
 */
public record RuleIndex(PolicyType direction, int index) implements Comparable<RuleIndex> {

    private static final Comparator<RuleIndex> ORDER = Comparator.comparing(RuleIndex::direction)
            .thenComparingInt(RuleIndex::index);

    public RuleIndex {
        Objects.requireNonNull(direction, "direction");
        if (index < 0) {
            throw new IllegalArgumentException("rule index " + index + " is negative");
        }
    }

    @Override
    public int compareTo(RuleIndex o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return (direction == PolicyType.INGRESS ? "ingress" : "egress") + "[" + index + "]";
    }
}
