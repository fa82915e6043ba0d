package dev.weir.model.admin;

import java.util.Objects;

/** A rule with its place in the evaluation order and the subject it applies to: what a compiler sorts and renders. */
public record PositionedRule(RulePosition position, ClusterPolicySubject subject, ClusterPolicyRule rule)
        implements Comparable<PositionedRule> {

    public PositionedRule {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rule, "rule");
    }

    @Override
    public int compareTo(PositionedRule o) {
        return position.compareTo(o.position);
    }
}
