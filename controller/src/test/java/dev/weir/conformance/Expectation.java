package dev.weir.conformance;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import java.util.List;

/**
 * An expected truth table written as upstream's {@code Reachability} writes it: start from all-allowed (or
 * all-denied), then {@link #expectPeer}, {@link #expectAllIngress}, {@link #expectAllEgress} and {@link #expect}
 * override cells. Upstream ignores loopback (a pod to itself) when comparing; weir's semantics are firmer — loopback
 * never leaves the pod and is always allowed — so {@link #table()} sets the diagonal to allowed.
 */
public final class Expectation {

    /** Matches pods by namespace and/or pod name; null means any (upstream's {@code &Peer{}}). */
    public record Peer(String namespace, String pod) {
        public static final Peer ANY = new Peer(null, null);

        public static Peer ns(String namespace) {
            return new Peer(namespace, null);
        }

        public static Peer pod(String podKey) {
            String[] p = podKey.split("/");
            return new Peer(p[0], p[1]);
        }

        boolean matches(String podKey) {
            String[] p = podKey.split("/");
            return (namespace == null || namespace.equals(p[0])) && (pod == null || pod.equals(p[1]));
        }
    }

    private final List<String> pods;
    private final PortProtocol target;
    private final TruthTable.Builder builder;

    private Expectation(List<String> pods, PortProtocol target, boolean initial) {
        this.pods = List.copyOf(pods);
        this.target = target;
        this.builder = TruthTable.builder(pods).fill(target, initial);
    }

    public static Expectation allowed(List<String> pods, PortProtocol target) {
        return new Expectation(pods, target, true);
    }

    public static Expectation denied(List<String> pods, PortProtocol target) {
        return new Expectation(pods, target, false);
    }

    public Expectation expect(String from, String to, boolean allowed) {
        builder.set(from, to, target, allowed);
        return this;
    }

    /** Every pair whose source matches {@code from} and destination matches {@code to}. */
    public Expectation expectPeer(Peer from, Peer to, boolean allowed) {
        for (String f : pods) {
            for (String t : pods) {
                if (from.matches(f) && to.matches(t)) {
                    builder.set(f, t, target, allowed);
                }
            }
        }
        return this;
    }

    /** Everything into {@code pod}. */
    public Expectation expectAllIngress(String pod, boolean allowed) {
        builder.allTo(pod, target, allowed);
        return this;
    }

    /** Everything out of {@code pod}. */
    public Expectation expectAllEgress(String pod, boolean allowed) {
        builder.allFrom(pod, target, allowed);
        return this;
    }

    public TruthTable table() {
        pods.forEach(p -> builder.set(p, p, target, true));
        return builder.build();
    }
}
