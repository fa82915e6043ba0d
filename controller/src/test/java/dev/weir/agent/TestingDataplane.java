package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A dataplane that records every ruleset it is asked to apply and every graph it is asked to revoke flows for, and can
 * be told to fail or to report drift. Each revocation reports 3 flows examined and 1 deleted.
 */
public final class TestingDataplane implements Dataplane {

    private final List<Ruleset> applied = new ArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private volatile List<String> drift = List.of();
    private int checks;
    private final List<PolicyGraph> revoked = new ArrayList<>();
    private volatile boolean failRevocations;

    @Override
    public synchronized ApplyResult apply(Ruleset desired) throws Exception {
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("injected apply failure");
        }
        applied.add(desired);
        drift = List.of();
        notifyAll();
        return new ApplyResult(true, "recorded");
    }

    @Override
    public synchronized DriftReport check(Ruleset desired) {
        checks++;
        return new DriftReport(drift);
    }

    @Override
    public synchronized Revocation revoke(PolicyGraph graph, String node) {
        if (failRevocations) {
            throw new IllegalStateException("injected revocation failure: conntrack: command not found");
        }
        revoked.add(graph);
        return new Revocation(3, 1);
    }

    void failRevocations(boolean fail) {
        failRevocations = fail;
    }

    synchronized int revocations() {
        return revoked.size();
    }

    public void failNext(int times) {
        failuresToInject.set(times);
    }

    void driftOnce(String difference) {
        drift = List.of(difference);
    }

    synchronized int checks() {
        return checks;
    }

    public synchronized List<Ruleset> applied() {
        return List.copyOf(applied);
    }

    public synchronized int applyCount() {
        return applied.size();
    }

    public synchronized Ruleset last() {
        return applied.isEmpty() ? null : applied.get(applied.size() - 1);
    }

    /** Waits until the last applied ruleset satisfies {@code condition}; returns it or fails with what was seen. */
    public synchronized Ruleset awaitApplied(Predicate<Ruleset> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (last() == null || !condition.test(last())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no applied ruleset matched within " + timeout + "; last applied:\n"
                        + (last() == null ? "(none)" : TestingRenderer.text(last())));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return last();
    }
}
