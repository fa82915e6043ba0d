package dev.weir.status;

import java.time.Duration;
import java.time.Instant;

/**
 * Why a node's word counts for nothing: its agent never reported, or has not for longer than the stale-after limit (it
 * is stopped, crashed or cut off from the API server). A stale node is not counted as enforcing anything, whatever its
 * last report said.
 */
public sealed interface Staleness {

    /** One line for people: {@code "no report"}, {@code "last heartbeat 5m ago"}. */
    String describe();

    /** No NodePolicyReport of that name: no agent ever ran there, or it cannot write reports. */
    record NoReport() implements Staleness {
        @Override
        public String describe() {
            return "no report";
        }
    }

    /** A report without a heartbeat time: written by something other than an agent, or half written. */
    record NoHeartbeat() implements Staleness {
        @Override
        public String describe() {
            return "report has no heartbeat";
        }
    }

    /** The agent's last write is older than the limit. */
    record Silent(Instant heartbeat, Duration age) implements Staleness {
        @Override
        public String describe() {
            return "last heartbeat " + Age.format(age) + " ago";
        }
    }
}
