package dev.weir.agent.metrics;

import dev.weir.iptables.nflog.NflogReader;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every metric the node agent exports, on the Prometheus Java client: weir's own by name, plus the client's JVM and
 * process metrics ({@code jvm_*}, {@code process_*}). Each instance has its own registry, so that several agents in
 * one JVM (the tests, the lab) do not share counters.
 */
public final class AgentMetrics implements MetricsExposition {

    /** 1 ms to 60 s, roughly ×2.5 steps: sync and apply times of a node agent. */
    static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    public final Histogram syncDuration = histogram("weir_sync_duration_seconds",
            "Time of one sync: drain changes, build the graph, render and apply.");
    public final Histogram applyDuration = histogram("weir_apply_duration_seconds",
            "Time the dataplane took to apply one ruleset.");
    public final Histogram eventToApply = histogram("weir_event_to_apply_seconds",
            "Time from an informer event arriving to the ruleset including it being applied.");
    public final Gauge chains = gauge("weir_chains", "Weir chains in the last applied ruleset (both families).");
    public final Gauge rules = gauge("weir_rules", "Rules in weir chains of the last applied ruleset.");
    public final Gauge ipsetMembers = gauge("weir_ipset_members",
            "Members of all weir ipsets in the last applied ruleset.");
    public final Gauge policiesRejected = gauge("weir_policies_rejected",
            "Policies currently left out because they are invalid (see their PolicyRejected events).");
    /** {@code state="bound"}: local pods whose host-side interface is known; {@code "unknown"}: judged by address. */
    public final Gauge podInterfaces = Gauge.builder().name("weir_pod_interfaces")
            .help("Local pods by whether their host-side interface is known (bound: their traffic is tied to it, "
                    + "anti-spoofing) or not (unknown: judged by address alone).")
            .labelNames("state").register(registry);
    public final Counter applyErrors = counter("weir_apply_errors_total",
            "Syncs that failed (render or apply); each is retried with backoff.");
    public final Counter syncs = counter("weir_syncs_total", "Syncs that applied a ruleset successfully.");
    public final Counter flowsExamined = counter("weir_conntrack_flows_examined_total",
            "Tracked flows read from conntrack after applies, to find those the new policies deny.");
    public final Counter flowsRevoked = counter("weir_conntrack_flows_revoked_total",
            "Tracked flows deleted after an apply because the new policies deny them.");
    public final Counter driftRepairs = counter("weir_drift_repairs_total",
            "Drift checks that found the kernel differing from the last ruleset and re-applied it.");
    public final Counter reportWrites = counter("weir_report_writes_total",
            "Writes of this node's NodePolicyReport status that succeeded (docs/agent.md, "
                    + "\"What the agent reports\").");
    public final Counter reportWriteErrors = counter("weir_report_write_errors_total",
            "Writes of this node's NodePolicyReport that failed (API error, CRD not installed, forbidden, no Node); "
                    + "each is retried.");
    public final Gauge reportLastWrite = gauge("weir_report_last_write_timestamp_seconds",
            "Unix time of the last successful write of this node's NodePolicyReport (0: none yet).");
    /** Set once discovery has read the CRD; exported as {@code weir_cluster_network_policy_crd_info ... 1}. */
    public final Info clusterPolicyCrd = Info.builder().name("weir_cluster_network_policy_crd")
            .help("The ClusterNetworkPolicy CRD the agent found at start-up: state (found, absent or unreadable), its"
                    + " upstream channel and bundle version annotations, the versions it serves.")
            .labelNames("state", "channel", "bundle_version", "served_versions").register(registry);

    /**
     * Packets the denied-traffic log read, by the namespace of the pod the decision protects, the deciding policy and
     * the direction; series only for the decisions of the ruleset applied last ({@code docs/denials.md}, "Metrics").
     */
    public final Counter deniedPackets = Counter.builder().name("weir_denied_packets_total")
            .help("Denied packets the NFLOG rules logged (rate-limited), by the namespace of the pod the decision "
                    + "protects, the policy that decided (ns/name, ClusterNetworkPolicy/name, or the cause) and the "
                    + "direction.")
            .labelNames("namespace", "policy", "direction").register(registry);
    public final Counter denialRecords = counter("weir_denial_log_records_total",
            "Records the denied-traffic log wrote (one per flow and interval).");
    /** {@code reason="unknown-rule"}: a weir prefix the applied ruleset does not have; {@code "not-weir"}; … */
    public final Counter denialUnmapped = Counter.builder().name("weir_denial_log_unmapped_total")
            .help("Logged packets left out of the denied-traffic log: unknown-rule (a weir prefix the last applied "
                    + "ruleset does not have, e.g. logged just before the rules changed), not-weir (another prefix on "
                    + "the group), error (the packet could not be turned into a record).")
            .labelNames("reason").register(registry);
    public final Counter denialWriteFailures = counter("weir_denial_log_write_failures_total",
            "Records the denied-traffic log could not write (its file could not be written).");

    private volatile Supplier<NflogReader.Status> denialReader = () -> null;

    public AgentMetrics() {
        JvmMetrics.builder().register(registry);
        HeapWatch.process().register(registry, "agent", "Agent memory");
        podInterfaces.labelValues("bound").set(0);
        podInterfaces.labelValues("unknown").set(0);
        for (String reason : new String[] {"unknown-rule", "not-weir", "error"}) {
            denialUnmapped.labelValues(reason);
        }
        GaugeWithCallback.builder().name("weir_denial_log_reader_state")
                .help("The NFLOG reader of the denied-traffic log: 1 for its state (starting, bound, retrying: not "
                        + "reading, see the agent's log; closed), 0 for the others. Absent with the log off.")
                .labelNames("state").callback(cb -> {
                    NflogReader.Status s = denialReader.get();
                    if (s != null) {
                        for (NflogReader.State st : NflogReader.State.values()) {
                            cb.call(st == s.state() ? 1 : 0, st.name().toLowerCase(Locale.ROOT));
                        }
                    }
                }).register(registry);
        readerGauge("weir_denial_log_bind_failures", "Failed attempts to bind the NFLOG group since the last success.",
                NflogReader.Status::bindFailures);
        readerCounter("weir_denial_log_packets_received_total", "Packets the NFLOG reader received and decoded.",
                NflogReader.Status::received);
        readerCounter("weir_denial_log_malformed_total",
                "NFLOG messages the reader skipped as undecodable or not from the kernel.",
                NflogReader.Status::malformed);
        readerCounter("weir_denial_log_lost_packets_total",
                "Logged packets that never reached the reader (gaps in the group's sequence numbers).",
                NflogReader.Status::lost);
        readerCounter("weir_denial_log_overruns_total",
                "Times the reader's socket buffer overflowed and the kernel dropped log messages.",
                NflogReader.Status::overruns);
    }

    /** Where the reader metrics come from: the denied-traffic log's reader, once it is started. */
    public void denialReader(Supplier<NflogReader.Status> status) {
        denialReader = status;
    }

    private void readerCounter(String name, String help, Function<NflogReader.Status, Number> value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> {
            NflogReader.Status s = denialReader.get();
            if (s != null) {
                cb.call(value.apply(s).doubleValue());
            }
        }).register(registry);
    }

    private void readerGauge(String name, String help, Function<NflogReader.Status, Number> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            NflogReader.Status s = denialReader.get();
            if (s != null) {
                cb.call(value.apply(s).doubleValue());
            }
        }).register(registry);
    }

    @Override
    public String contentType() {
        return text.getContentType();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        text.write(out, registry.scrape());
    }

    private Histogram histogram(String name, String help) {
        // classic buckets only: the text format carries no native histogram, and dashboards query le buckets
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(SECONDS).register(registry);
    }

    private Gauge gauge(String name, String help) {
        return Gauge.builder().name(name).help(help).register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry); // the client writes the _total suffix
    }
}
