package dev.weir.model.admin;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What one tier of ClusterNetworkPolicy rules decides for one direction of one connection. The reference semantics
 * for the compiler and the evaluator: within a tier the first matching rule in {@link RulePosition} order decides.
 */
public sealed interface TierOutcome {

    /** The rule that decided, or null for {@link NoMatch}. */
    PositionedRule rule();

    /** An Accept rule matched: allowed, no later tier (NetworkPolicy included) is consulted. */
    record Accepted(PositionedRule rule) implements TierOutcome {
        public Accepted {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** A Deny rule matched: dropped, no later tier is consulted. */
    record Denied(PositionedRule rule) implements TierOutcome {
        public Denied {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** A Pass rule matched: the rest of this tier is skipped and the next tier decides. */
    record Passed(PositionedRule rule) implements TierOutcome {
        public Passed {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** No rule of the tier matched (or none applies to the pod): the next tier decides. */
    record NoMatch() implements TierOutcome {
        @Override
        public PositionedRule rule() {
            return null;
        }
    }

    /** True when this tier ended the evaluation (Accept or Deny). */
    default boolean isFinal() {
        return this instanceof Accepted || this instanceof Denied;
    }

    /**
     * Walks {@code ordered} (as {@link dev.weir.model.ClusterPolicy#evaluationOrder} returns it) for the rules of
     * {@code tier} and returns the decision of the first one that {@code matches} (subject, peer and port all match).
     */
    static TierOutcome evaluate(List<PositionedRule> ordered, Tier tier, Predicate<PositionedRule> matches) {
        for (PositionedRule r : ordered) {
            if (r.position().tier() != tier || !matches.test(r)) {
                continue;
            }
            return switch (r.rule().action()) {
                case ACCEPT -> new Accepted(r);
                case DENY -> new Denied(r);
                case PASS -> new Passed(r);
            };
        }
        return new NoMatch();
    }
}
