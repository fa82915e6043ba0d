package dev.weir.agent;

/**
 * Where a rejected policy version goes once it has been seen (once per version, see {@link Rejection#reportKey()}).
 * The controller reports it as a Kubernetes Event on the policy ({@code dev.weir.controller}); a node agent only logs it
 * (its sync's WARN line) and passes {@link #NONE}: one Event per rejection for the cluster, not one per node.
 */
@FunctionalInterface
public interface RejectionReporter {

    /** Reason of the Event weir creates for a rejected policy. */
    String REASON = "PolicyRejected";

    /** Reports nothing (the node agent: its log line is its report). */
    RejectionReporter NONE = r -> { };

    void report(Rejection rejection) throws Exception;
}
