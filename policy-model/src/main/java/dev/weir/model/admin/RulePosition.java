package dev.weir.model.admin;

import dev.weir.model.PolicyType;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a rule stands in the evaluation of one direction: sorting positions gives the order in which rules are
 * tried, and the first matching rule decides. Order: tier (Admin before Baseline), then priority (lower first), then
 * policy name, then the rule's index in its list.
 *
 * <p>The API leaves the order of two policies with the same tier and priority undefined ("the implementation can
 * apply any of the matching policies"); weir breaks the tie by policy name so that every node and every run agree.
 */
public record RulePosition(Tier tier, int priority, String policy, PolicyType direction, int index)
        implements Comparable<RulePosition> {

    private static final Comparator<RulePosition> ORDER = Comparator.comparing(RulePosition::tier)
            .thenComparingInt(RulePosition::priority)
            .thenComparing(RulePosition::policy)
            .thenComparing(RulePosition::direction)
            .thenComparingInt(RulePosition::index);

    public RulePosition {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(direction, "direction");
        if (index < 0) {
            throw new IllegalArgumentException("rule index " + index + " is negative");
        }
    }

    @Override
    public int compareTo(RulePosition o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return tier.apiName() + "/" + priority + "/" + policy + "/" + direction.apiName().toLowerCase(Locale.ROOT) + "[" + index
                + "]";
    }
}
