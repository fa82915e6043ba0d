package dev.weir.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * The controller's leader election: which {@code coordination.k8s.io/v1} Lease the replicas compete for, under which
 * identity, and its timing, with kube-controller-manager's defaults (lease 15 s, renew deadline 10 s, retry 2 s). The
 * leader renews every retry period and gives up leading when it has not renewed for the renew deadline; another
 * replica takes over once the lease has not been renewed for the lease duration (whole seconds: the Lease stores
 * {@code leaseDurationSeconds}, and the candidates judge expiry by it), so a leader that dies without releasing hands
 * over within the lease duration plus a retry period. One that stops cleanly releases the Lease (fabric8 writes it
 * without a holder, for 1 s), and another replica takes it about a second later.
 */
public record LeaseSettings(String name, String namespace, String identity, Duration duration, Duration renewDeadline,
        Duration retryPeriod) {

    public static final String DEFAULT_NAME = "weir-controller";
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);
    /** fabric8's (and client-go's) jitter on retries: a renew deadline must leave room for one jittered retry. */
    static final double JITTER = 1.2;

    public LeaseSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        if (name.isBlank() || namespace.isBlank() || identity.isBlank()) {
            throw new IllegalArgumentException("lease name, namespace and identity must not be blank");
        }
        if (duration.toMillis() % 1000 != 0 || duration.isZero() || duration.isNegative()) {
            // the Lease stores leaseDurationSeconds, and the other replicas judge its expiry by that number
            throw new IllegalArgumentException("the lease duration must be a whole number of seconds (got "
                    + duration.toMillis() + " ms)");
        }
        if (retryPeriod.isZero() || retryPeriod.isNegative()) {
            throw new IllegalArgumentException("the lease retry period must be longer than 0");
        }
        if (duration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("the lease duration (" + duration.toMillis()
                    + " ms) must be longer than the renew deadline (" + renewDeadline.toMillis() + " ms)");
        }
        if (renewDeadline.toMillis() <= JITTER * retryPeriod.toMillis()) {
            throw new IllegalArgumentException("the renew deadline (" + renewDeadline.toMillis()
                    + " ms) must be longer than " + JITTER + " x the retry period (" + retryPeriod.toMillis() + " ms)");
        }
    }

    /** kube-controller-manager's timing on the Lease {@value #DEFAULT_NAME}. */
    public static LeaseSettings defaults(String namespace, String identity) {
        return new LeaseSettings(DEFAULT_NAME, namespace, identity, DEFAULT_DURATION, DEFAULT_RENEW_DEADLINE,
                DEFAULT_RETRY_PERIOD);
    }

    public LeaseSettings withTiming(Duration leaseDuration, Duration renew, Duration retry) {
        return new LeaseSettings(name, namespace, identity, leaseDuration, renew, retry);
    }

    public LeaseSettings withIdentity(String id) {
        return new LeaseSettings(name, namespace, id, duration, renewDeadline, retryPeriod);
    }

    /** {@code namespace/name}, as the log names the Lease. */
    public String describe() {
        return namespace + "/" + name;
    }
}
