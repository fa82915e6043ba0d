package dev.weir.agent.denials;

import dev.weir.agent.AppliedRulesetListener;
import dev.weir.agent.AppliedSync;
import dev.weir.agent.DenialLogSettings;
import dev.weir.agent.LogKeys;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.render.Ruleset;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The denied-traffic log of one agent ({@code docs/denials.md}): an NFLOG reader on the configured group in the node's
 * namespace feeds a {@link DenialRecorder}; a flusher thread writes the records due every tick (at most 250 ms, so a
 * new flow's first record is out well within a second) to a {@link DenialSink}, and says when the reader stops or
 * starts reading. Nothing here touches enforcement or readiness: a reader that cannot bind its group is logged,
 * counted and retried, and the agent goes on applying rules.
 */
public final class DenialLog implements AppliedRulesetListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DenialLog.class);
    static final Duration MAX_TICK = Duration.ofMillis(250);
    /** Far above what the NFLOG rules' rate limit lets through in an interval; reached, everything is written. */
    static final int MAX_FLOWS = 10_000;

    private final String node;
    private final DenialLogSettings settings;
    private final DenialRecorder recorder;
    private final DenialSink sink;
    private final AgentMetrics metrics;
    private final ScheduledExecutorService flusher;
    private volatile NflogReader reader;
    private NflogReader.State reported = NflogReader.State.STARTING;
    private String lastWriteError;
    private boolean closed;

    private DenialLog(String node, DenialLogSettings settings, DenialRecorder recorder, DenialSink sink,
            AgentMetrics metrics) {
        this.node = node;
        this.settings = settings;
        this.recorder = recorder;
        this.sink = sink;
        this.metrics = metrics;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weir-denials-" + node);
            t.setDaemon(true);
            return t;
        });
    }

    /** The production log: the system clocks, the sink the settings name. */
    public static DenialLog start(String node, DenialLogSettings settings, DeniedPacketSource source,
            AgentMetrics metrics) {
        DenialSink sink = settings.fileOption().map(DenialSink::file).orElseGet(DenialSink::logger);
        return start(node, settings, source, sink, metrics, System::nanoTime, Clock.systemUTC());
    }

    /** With every part given (tests). */
    public static DenialLog start(String node, DenialLogSettings settings, DeniedPacketSource source, DenialSink sink,
            AgentMetrics metrics, LongSupplier ticker, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Duration tick = settings.interval().compareTo(MAX_TICK) < 0 ? settings.interval() : MAX_TICK;
        DenialRecorder recorder = new DenialRecorder(node, settings.interval(), tick, MAX_FLOWS, metrics, ticker,
                clock);
        DenialLog log = new DenialLog(node, settings, recorder, sink, metrics);
        log.startReader(source);
        log.flusher.scheduleAtFixedRate(log::tick, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
        LOG.info("node {}: denied-traffic log on: NFLOG group {}, {} packets/s (burst {}), one record per flow per {}, "
                + "to {}", node, settings.group(), settings.rate(), settings.burst(),
                dev.weir.agent.Durations.format(settings.interval()),
                settings.fileOption().map(Object::toString).orElse("the " + DenialSink.LOGGER + " logger"));
        return log;
    }

    private void startReader(DeniedPacketSource source) {
        try {
            reader = source.start(settings.group(), this::consume);
        } catch (Exception | LinkageError e) {
            LOG.error("node {}: cannot start reading NFLOG group {}; denied packets are not recorded, enforcement is "
                    + "unaffected: {}", node, settings.group(), e.toString(), e);
        }
        NflogReader r = reader;
        if (r != null) {
            metrics.denialReader(r::status);
        }
    }

    /** The sync thread applied {@code ruleset}, rendered from {@code graph}: later packets are read against them. */
    public void applied(PolicyGraph graph, Ruleset ruleset) {
        recorder.applied(graph, ruleset);
    }

    /** The sync thread applied a sync: later packets are read against its ruleset and graph. */
    @Override
    public void applied(AppliedSync applied) {
        applied(applied.graph(), applied.ruleset());
    }

    /** The sync thread is handing {@code ruleset} to the kernel: its prefixes are read from now on too. */
    @Override
    public void applying(PolicyGraph graph, Ruleset ruleset) {
        recorder.applying(graph, ruleset);
    }

    /** The reader's state and counters; empty when it could not be started. */
    public Optional<NflogReader.Status> readerStatus() {
        NflogReader r = reader;
        return r == null ? Optional.empty() : Optional.of(r.status());
    }

    /** The reader's consumer: never throws (the recorder catches what it meets). */
    private void consume(NflogPacket p) {
        write(recorder.accept(p));
    }

    private void tick() {
        MDC.put(LogKeys.NODE, node);
        try {
            write(recorder.flush());
            watchReader();
        } catch (RuntimeException e) { // a scheduled task that throws is never run again
            LOG.warn("node {}: denied-traffic log flush failed, going on: {}", node, e.toString(), e);
        }
    }

    /** Says, with the node, when the reader stops reading and when it reads again (its own lines lack the node). */
    private void watchReader() {
        Optional<NflogReader.Status> s = readerStatus();
        if (s.isEmpty() || s.get().state() == reported) {
            return;
        }
        NflogReader.Status status = s.get();
        if (status.state() == NflogReader.State.RETRYING) {
            LOG.error("node {}: the denied-traffic log is not recording: {}; retrying with backoff (enforcement and "
                    + "readiness are unaffected)", node, status.lastError().orElse("NFLOG group "
                    + settings.group() + " cannot be read"));
        } else if (status.state() == NflogReader.State.BOUND && reported == NflogReader.State.RETRYING) {
            LOG.info("node {}: the denied-traffic log is recording again (NFLOG group {} bound after {})", node,
                    settings.group(), status.lastError().orElse("a failure"));
        }
        reported = status.state();
    }

    private synchronized void write(List<DenialRecord> records) {
        if (records.isEmpty() || closed) {
            return;
        }
        List<String> lines = records.stream().map(DenialRecordJson::write).toList();
        try {
            sink.write(lines);
            metrics.denialRecords.inc(lines.size());
            lastWriteError = null;
        } catch (Exception e) {
            metrics.denialWriteFailures.inc(lines.size());
            if (!e.toString().equals(lastWriteError)) {
                LOG.warn("node {}: cannot write {} denial records to {}: {}", node, lines.size(), sink, e.toString());
                lastWriteError = e.toString();
            }
        }
    }

    /** Stops reading (the group is released), writes what is pending and closes the sink. */
    @Override
    public void close() {
        NflogReader r = reader;
        if (r != null) {
            r.close();
        }
        flusher.shutdownNow();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(recorder.drain());
        synchronized (this) {
            closed = true;
        }
        sink.close();
    }
}
