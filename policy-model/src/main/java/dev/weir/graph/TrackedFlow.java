package dev.weir.graph;

import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.Objects;

/**
 * A connection the kernel tracks (one conntrack entry): its protocol and both tuples as conntrack prints them. The
 * {@code original} tuple is the first packet as it arrived; the {@code reply} tuple is what an answer looks like, so its
 * source is the destination after any DNAT (a Service VIP resolved to a backend pod).
 */
public record TrackedFlow(Protocol protocol, Tuple original, Tuple reply) {

    public TrackedFlow {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(reply, "reply");
    }

    /** A flow without NAT: the reply tuple mirrors the original. */
    public static TrackedFlow of(Protocol protocol, IpAddress src, int sport, IpAddress dst, int dport) {
        return new TrackedFlow(protocol, new Tuple(src, dst, sport, dport), new Tuple(dst, src, dport, sport));
    }

    /** The packet policy judged: from the original source to the real (post-DNAT) destination and port. */
    public IpAddress judgedSource() {
        return original.src();
    }

    public IpAddress judgedDestination() {
        return reply.src();
    }

    public int judgedPort() {
        return reply.sport();
    }

    /** One direction of a flow. */
    public record Tuple(IpAddress src, IpAddress dst, int sport, int dport) {

        public Tuple {
            Objects.requireNonNull(src, "src");
            Objects.requireNonNull(dst, "dst");
            if (src.family() != dst.family()) {
                throw new IllegalArgumentException("a tuple's addresses are of one family: " + src + " " + dst);
            }
            if (sport < 0 || sport > 65535 || dport < 0 || dport > 65535) {
                throw new IllegalArgumentException("ports out of range 0..65535: " + sport + " " + dport);
            }
        }
    }
}
