package dev.weir.status;

import java.time.Instant;
import java.util.Optional;

/** What one node does about one policy: enforces its current version, lags behind it, or is stale (unknown). */
public sealed interface NodeVerdict {

    /** One line for people. */
    String describe();

    /**
     * The node's last apply holds the policy at the current version or newer (the reader's copy may be the older).
     *
     * @param since when the node first applied that version; null if its report does not say
     */
    record Enforcing(Long generation, Instant since) implements NodeVerdict {
        @Override
        public String describe() {
            return generation == null ? "enforcing" : "enforcing generation " + generation;
        }
    }

    /** The agent is alive and does not enforce the current version; {@code failure} if its syncs are failing. */
    record Lagging(Lag lag, Optional<NodeReport.Failure> failure) implements NodeVerdict {
        @Override
        public String describe() {
            return lag.describe() + failure.map(f -> "; its syncs fail: " + f.message()).orElse("");
        }
    }

    /** The agent's report is missing or too old: not counted as enforcing. */
    record Stale(Staleness staleness) implements NodeVerdict {
        @Override
        public String describe() {
            return "stale: " + staleness.describe();
        }
    }
}
