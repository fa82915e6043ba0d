package dev.weir.status;

/**
 * Why a node whose agent is alive does not enforce the current version of a policy. Most lags are short (the agent
 * applies within seconds of a change); one that lasts has its cause in the node's failure, if it is failing.
 */
public sealed interface Lag {

    /** One line for people, e.g. {@code "enforces generation 1"}. */
    String describe();

    /** The node enforces an older spec of the policy. */
    record OlderGeneration(long generation) implements Lag {
        @Override
        public String describe() {
            return "enforces generation " + generation;
        }
    }

    /** The node enforces an earlier object of the same name (deleted and created again since). */
    record OtherObject(String uid) implements Lag {
        @Override
        public String describe() {
            return "enforces an earlier object of that name (uid " + uid + ")";
        }
    }

    /** The node's last successful apply does not hold the policy at all. */
    record NotListed() implements Lag {
        @Override
        public String describe() {
            return "not in its last applied ruleset";
        }
    }

    /** The agent runs but has not applied any ruleset yet. */
    record NeverApplied() implements Lag {
        @Override
        public String describe() {
            return "no successful apply yet";
        }
    }

    /** The report lists only some of the node's policies, not this one: whether it enforces it is unknown. */
    record ListCut(int listed, int count) implements Lag {
        @Override
        public String describe() {
            return "its report lists " + listed + " of its " + count + " policies, not this one";
        }
    }

    /** The node's agent leaves the policy out as invalid. */
    record Rejected(String message) implements Lag {
        @Override
        public String describe() {
            return "rejected: " + message;
        }
    }
}
