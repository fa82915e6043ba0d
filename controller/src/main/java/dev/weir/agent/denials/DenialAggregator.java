package dev.weir.agent.denials;

import dev.weir.graph.Decision;
import dev.weir.model.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts denied packets into one record per flow — (source, destination, protocol, port, decision) — per interval,
 * over caller-supplied nanos (no clock of its own). A flow's first packet is written at the next {@link #flush} (the
 * agent flushes every {@code tick}, 250 ms at most), so a new denial shows within about a tick; after that a flow gets
 * at most one record per interval, counting every packet since its last. A flow that stays quiet for an interval is
 * forgotten, and its next packet is news again.
 *
 * <p>Memory: one entry per flow seen within the last interval, which the NFLOG rules' rate limit bounds (rate ×
 * interval); should {@code maxFlows} be reached anyway, {@link #add} hands back every pending record at once and
 * starts afresh. Thread-safe: the reader's thread adds, the flusher's thread flushes.
 */
final class DenialAggregator {

    private record FlowKey(IpAddress source, IpAddress destination, int protocol, int port, Decision decision) {
        static FlowKey of(DenialRecord r) {
            return new FlowKey(r.source().ip(), r.destination().ip(), r.protocol(), r.port(), r.decision());
        }
    }

    /** A flow: the packets counted since its last record (null: none) and when that record was written. */
    private static final class Flow {
        DenialRecord pending;
        long lastWritten;
        boolean written;
    }

    private final long interval;
    private final long slack;
    private final int maxFlows;
    private final Map<FlowKey, Flow> flows = new LinkedHashMap<>();

    /**
     * @param interval how long a flow's packets are counted into one record
     * @param tick     how often {@link #flush} is called; a record due within half a tick of a flush is written by it,
     *                 so scheduling jitter does not push it a whole tick later
     * @param maxFlows the most flows held at once
     */
    DenialAggregator(Duration interval, Duration tick, int maxFlows) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows " + maxFlows);
        }
        this.interval = interval.toNanos();
        this.slack = tick.toNanos() / 2;
        this.maxFlows = maxFlows;
    }

    /**
     * Counts the packets of {@code packet} (a record of one flow, usually of one packet) into its flow. Returns the
     * records that must be written now: none, unless a new flow found the table full.
     */
    synchronized List<DenialRecord> add(DenialRecord packet, long now) {
        FlowKey key = FlowKey.of(packet);
        Flow flow = flows.get(key);
        List<DenialRecord> out = List.of();
        if (flow == null) {
            if (flows.size() >= maxFlows) {
                out = drain();
            }
            flow = new Flow();
            flows.put(key, flow);
        }
        flow.pending = flow.pending == null ? packet : new DenialRecord(flow.pending.time(), flow.pending.node(),
                flow.pending.source(), flow.pending.destination(), flow.pending.protocol(), flow.pending.port(),
                flow.pending.decision(), flow.pending.count() + packet.count());
        return out;
    }

    /**
     * The records due at {@code now}, in the order their flows were first seen: every new flow's, and every other
     * flow's whose last record is an interval old. Forgets flows quiet for an interval.
     */
    synchronized List<DenialRecord> flush(long now) {
        List<DenialRecord> out = new ArrayList<>();
        for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
            Flow f = it.next();
            boolean intervalOver = f.written && now - f.lastWritten + slack >= interval;
            if (f.pending != null && (!f.written || intervalOver)) {
                out.add(f.pending);
                f.pending = null;
                f.written = true;
                f.lastWritten = now;
            } else if (f.pending == null && intervalOver) {
                it.remove();
            }
        }
        return out;
    }

    /** Every pending record, whether due or not, and forgets every flow (the table full, or the log closing). */
    synchronized List<DenialRecord> drain() {
        List<DenialRecord> out = new ArrayList<>();
        for (Flow f : flows.values()) {
            if (f.pending != null) {
                out.add(f.pending);
            }
        }
        flows.clear();
        return out;
    }

    synchronized int flows() {
        return flows.size();
    }
}
