package dev.weir.agent.denials;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns logged packets into denial records, with no thread of its own: {@link #applied} (the sync thread, after each
 * successful apply) publishes what the node now enforces — the decision of each NFLOG prefix and which pod holds
 * which address — as one immutable snapshot; {@link #accept} (the reader's thread) maps a packet through the snapshot
 * current when it arrives, counts it and aggregates it; {@link #flush} (the flusher's thread) hands back the records
 * due. Clocks are injected: {@code ticker} (nanos) paces the aggregation, {@code clock} stamps records.
 *
 * <p>The kernel drops by a new ruleset's rules from the moment it takes them, and the sync ends a while later (the
 * revocation of flows the new rules deny takes a few hundred milliseconds): {@link #applying}, told before the apply,
 * announces the ruleset on its way in, and a prefix the applied snapshot does not have is read through it, with its
 * graph's pods, until {@link #applied} replaces both. Without it the drops of a just-applied policy went unrecorded.
 *
 * <p>A packet that is not a denial weir can name is counted in {@code weir_denial_log_unmapped_total} and skipped:
 * another prefix on the group ({@code not-weir}), a weir prefix neither the applied nor the announced ruleset has
 * ({@code unknown-rule}: logged by rules an apply has just replaced, or before the first apply), or one that fails to
 * become a record ({@code error}). Nothing it meets escapes {@link #accept}.
 */
public final class DenialRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(DenialRecorder.class);

    /** What the node enforces now, for the reader's thread; replaced whole by the sync thread. */
    private record Applied(PolicyGraph graph, Ruleset ruleset, PodAddresses pods) {
    }

    private final String node;
    private final DenialAggregator aggregator;
    private final DeniedPacketSeries series;
    private final AgentMetrics metrics;
    private final LongSupplier ticker;
    private final Clock clock;
    private final AtomicLong errors = new AtomicLong();
    private volatile Applied applied = new Applied(null, null, PodAddresses.NONE);
    /** The ruleset the sync thread is applying, until it is applied; null when none is on its way in. */
    private volatile Applied applying;

    /**
     * @param tick     how often the caller will {@link #flush}
     * @param maxFlows the most flows aggregated at once (see {@link DenialAggregator})
     */
    public DenialRecorder(String node, Duration interval, Duration tick, int maxFlows, AgentMetrics metrics,
            LongSupplier ticker, Clock clock) {
        this.node = node;
        this.aggregator = new DenialAggregator(interval, tick, maxFlows);
        this.series = new DeniedPacketSeries(metrics.deniedPackets);
        this.metrics = metrics;
        this.ticker = ticker;
        this.clock = clock;
    }

    /**
     * The sync thread applied {@code ruleset}, rendered from {@code graph}. Rebuilds only what changed (the graph and
     * the ruleset are kept while a sync changes nothing), and drops the metric series of decisions the new ruleset no
     * longer has. The ruleset holds its NFLOG rules' decisions ({@link Ruleset#decision}).
     */
    public void applied(PolicyGraph graph, Ruleset ruleset) {
        Applied last = applied;
        if (graph == last.graph() && ruleset == last.ruleset()) {
            return;
        }
        Applied next = applying;
        PodAddresses pods = graph == last.graph() ? last.pods()
                : next != null && graph == next.graph() ? next.pods() : PodAddresses.of(graph);
        applied = new Applied(graph, ruleset, pods);
        applying = null;
        if (ruleset != last.ruleset()) {
            series.retain(ruleset.decisions().values());
        }
    }

    /**
     * The sync thread is about to hand {@code ruleset}, rendered from {@code graph}, to the kernel: packets its rules
     * log are read through it until {@link #applied}. Announcing the applied ruleset again changes nothing.
     */
    public void applying(PolicyGraph graph, Ruleset ruleset) {
        Applied last = applied;
        if (graph == last.graph() && ruleset == last.ruleset()) {
            applying = null;
            return;
        }
        applying = new Applied(graph, ruleset, graph == last.graph() ? last.pods() : PodAddresses.of(graph));
    }

    /** One logged packet; returns the records to write at once (none, unless the flow table was full). */
    public List<DenialRecord> accept(NflogPacket p) {
        try {
            if (!p.prefix().startsWith(Names.NFLOG_PREFIX)) {
                unmapped("not-weir", p);
                return List.of();
            }
            Applied a = applied;
            Optional<Decision> decision = decision(a, p.prefix());
            Applied next = applying;
            if (decision.isEmpty() && next != null) {
                a = next; // dropped by the rules of the ruleset being applied
                decision = decision(a, p.prefix());
            }
            if (decision.isEmpty()) {
                unmapped("unknown-rule", p);
                return List.of();
            }
            DenialRecord packet = new DenialRecord(clock.instant(), node, end(p.source(), a.pods()),
                    end(p.destination(), a.pods()), p.protocolNumber(), port(p), decision.get(), 1);
            if (!packet.decision().allows()) {
                series.count(packet); // a logged Accept or Pass rule's packet is recorded, but it is no denial
            }
            return aggregator.add(packet, ticker.getAsLong());
        } catch (RuntimeException e) {
            metrics.denialUnmapped.labelValues("error").inc();
            if (errors.incrementAndGet() == 1) {
                LOG.warn("node {}: a logged packet could not become a denial record, skipping it (further failures "
                        + "are counted in weir_denial_log_unmapped_total{reason=\"error\"}): {}", node, p, e);
            }
            return List.of();
        }
    }

    /** The records due now. */
    public List<DenialRecord> flush() {
        return aggregator.flush(ticker.getAsLong());
    }

    /** Every pending record, due or not (closing). */
    public List<DenialRecord> drain() {
        return aggregator.drain();
    }

    private static Optional<Decision> decision(Applied a, String prefix) {
        return a.ruleset() == null ? Optional.empty() : a.ruleset().decision(prefix);
    }

    private void unmapped(String reason, NflogPacket p) {
        metrics.denialUnmapped.labelValues(reason).inc();
        LOG.debug("node {}: {} packet left out of the denied-traffic log: {}", node, reason, p);
    }

    private static DenialRecord.End end(IpAddress ip, PodAddresses pods) {
        return new DenialRecord.End(ip, pods.pod(ip));
    }

    /** The destination port, else the ICMP type, else -1. */
    static int port(NflogPacket p) {
        if (p.hasPorts()) {
            return p.destinationPort();
        }
        return p.icmpType() >= 0 ? p.icmpType() : -1;
    }
}
