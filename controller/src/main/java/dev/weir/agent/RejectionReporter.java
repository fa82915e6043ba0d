package dev.weir.agent;

/** Tells the policy's author that weir left a policy out: a Kubernetes Event on the object in the real agent. */
@FunctionalInterface
public interface RejectionReporter {

    /** Reason of the Event weir creates for a rejected policy. */
    String REASON = "PolicyRejected";

    void report(Rejection rejection) throws Exception;
}
