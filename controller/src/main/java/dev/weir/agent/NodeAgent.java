package dev.weir.agent;

import dev.weir.agent.denials.DenialLog;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.agent.metrics.HeapWatch;
import dev.weir.agent.report.ReportPublisher;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.sys.NetworkNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node agent: informers → pending changes → one sync thread → dataplane, plus the HTTP endpoints. Several
 * may run in one JVM (the lab), each with its own client, network namespace and port. {@link #close()} stops watching
 * and syncing and leaves the applied rules in the kernel.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final AgentMetrics metrics;
    private final Watch watch;
    private final SyncLoop loop;
    private final SyncWorker worker;
    private final AgentHttpServer http;
    private final Duration stallLimit;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private NodeAgent(AgentConfig config, AgentMetrics metrics, Watch watch, SyncLoop loop, SyncWorker worker,
            AgentHttpServer http) {
        this.config = config;
        this.metrics = metrics;
        this.watch = watch;
        this.loop = loop;
        this.worker = worker;
        this.http = http;
        this.stallLimit = stallLimit(config);
    }

    /**
     * The loop wakes at least every min(resync, drift) interval; a heartbeat older than twice the longer one (plus a
     * minute for a slow apply) means it is stuck, and {@code /healthz} fails so the kubelet restarts the agent.
     */
    static Duration stallLimit(AgentConfig config) {
        Duration longer = config.resyncInterval().compareTo(config.driftCheckInterval()) > 0
                ? config.resyncInterval() : config.driftCheckInterval();
        return longer.multipliedBy(2).plusMinutes(1);
    }

    /**
     * Starts an agent for {@code config.node()} that programs {@code netns} through the real renderer and applier
     * (the entry point the lab uses; {@code weir agent} calls it with the host or {@code --netns} namespace).
     */
    public static NodeAgent start(AgentConfig config, KubernetesClient client, NetworkNamespace netns)
            throws IOException {
        return start(config, client, StandardParts.create(config, netns));
    }

    /** Starts an agent with the given parts (tests: recording dataplane, fake clock). */
    public static NodeAgent start(AgentConfig config, KubernetesClient client, AgentParts parts) throws IOException {
        return start(config, client, parts, InformerWatchdog.DEFAULT_STALL_LIMIT);
    }

    /** As above, with the watchdog's limit for an informer without a live watch (tests shorten it). */
    static NodeAgent start(AgentConfig config, KubernetesClient client, AgentParts parts, Duration watchStallLimit)
            throws IOException {
        AgentMetrics metrics = new AgentMetrics();
        PendingChanges pending = new PendingChanges(parts.ticker());
        SyncTrigger trigger = new SyncTrigger();
        ChangeTranslator translator = new ChangeTranslator(parts.translator());
        ClusterInformers informers = new ClusterInformers(client, new ChangeRecorder(translator, pending, trigger),
                trigger, watchStallLimit);
        ClusterPolicyDiscovery discovery = new ClusterPolicyDiscovery(client,
                crd -> metrics.clusterPolicyCrd.setLabelValues(crd.labelValues()));
        LocalNetworkTracker local = new LocalNetworkTracker(config.node(), config.localNetwork(), parts.interfaces(),
                () -> NodePodCidrs.fetch(client, config.node()), metrics, trigger::poke, parts.ticker());
        DenialLog denials = config.denialLog().enabled()
                ? DenialLog.start(config.node(), config.denialLog(), parts.deniedPackets(), metrics) : null;
        // the report's waits are real time whatever the parts' ticker (its timed waits are the JVM's)
        ReportPublisher report = config.report().enabled() ? ReportPublisher.start(client, config.node(),
                config.report(), AgentVersion.get(), metrics, Clock.systemUTC(), System::nanoTime) : null;
        Watch watch = new Watch(informers, discovery, local, denials, report);
        List<AppliedRulesetListener> told = new ArrayList<>();
        if (denials != null) {
            told.add(denials);
        }
        if (report != null) {
            told.add(report);
        }
        SyncWorker worker = new SyncWorker(config.node(), pending, new ClusterState(),
                () -> {
                    List<Change> all = new ArrayList<>();
                    informers.forEachCached(o -> all.add(translator.upsert(o).change()));
                    return all;
                },
                parts.renderer(), parts.dataplane(), parts.reporter(), metrics, parts.ticker(), local,
                AppliedRulesetListener.all(told));
        Pacer pacer = new Pacer(config.minSyncInterval(), config.resyncInterval(), config.driftCheckInterval());
        SyncLoop loop = new SyncLoop(config.node(), pacer, worker, trigger, pending, local::changed,
                informers::synced, parts.ticker());
        AgentHttpServer http = null;
        try {
            if (config.httpPort() >= 0) {
                http = AgentHttpServer.start(config.httpPort(),
                        new HealthSource(informers, loop, worker, stallLimit(config)), metrics);
            }
            informers.start();
            discovery.start(informers::clusterPoliciesServed);
            loop.start();
            local.start();
        } catch (IOException | RuntimeException e) {
            loop.close();
            watch.close();
            if (http != null) {
                http.close();
            }
            throw e;
        }
        NodeAgent agent = new NodeAgent(config, metrics, watch, loop, worker, http);
        LOG.info("agent started for node {} (netns {}, http port {}, min sync {}, resync {}, drift check {}, max heap "
                + "{} MiB, {} MiB in use after GC)", config.node(), config.netnsName().orElse("host"), agent.httpPort(),
                Durations.format(config.minSyncInterval()), Durations.format(config.resyncInterval()),
                Durations.format(config.driftCheckInterval()), HeapWatch.process().maxBytes() >> 20,
                HeapWatch.process().usedAfterGcBytes() >> 20);
        return agent;
    }

    public Health health() {
        return new HealthSource(watch.informers(), loop, worker, stallLimit).get();
    }

    /** Whether every informer has a live watch right now (false while the API server is unreachable). */
    public boolean watching() {
        return watch.informers().watching();
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /**
     * The denied-traffic log's NFLOG reader: bound, or retrying and why, and its counters; empty with the log off
     * or when the reader could not be started at all.
     */
    public Optional<NflogReader.Status> denialReader() {
        return watch.denials() == null ? Optional.empty() : watch.denials().readerStatus();
    }

    public AgentConfig config() {
        return config;
    }

    /** The bound HTTP port, or -1 when the server is disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Stops watching, syncing and serving. The applied rules stay in the kernel (restart does not open a gap). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.close();
        watch.close();
        if (http != null) {
            http.close();
        }
        LOG.info("agent for node {} stopped; its rules stay in place", config.node());
    }

    /**
     * What watches the cluster and the node, and reports, stopped together; {@code denials} is null with the log off,
     * {@code report} with the report off.
     */
    private record Watch(ClusterInformers informers, ClusterPolicyDiscovery discovery, LocalNetworkTracker local,
            DenialLog denials, ReportPublisher report) implements AutoCloseable {

        @Override
        public void close() {
            if (report != null) {
                report.close();
            }
            if (denials != null) {
                denials.close();
            }
            local.close();
            discovery.close();
            informers.close();
        }
    }

    /** Liveness and readiness from the loop, the caches and the last sync. */
    private record HealthSource(ClusterInformers watch, SyncLoop loop, SyncWorker worker, Duration stallLimit)
            implements java.util.function.Supplier<Health> {

        @Override
        public Health get() {
            boolean live = loop.alive(stallLimit);
            if (!watch.synced()) {
                return new Health(live, false,
                        "informer caches not synced yet: " + String.join(", ", watch.unsyncedKinds()));
            }
            if (!loop.everSucceeded()) {
                String err = worker.lastError();
                return new Health(live, false, err == null ? "first apply not done yet" : "first apply failed: " + err);
            }
            if (!loop.lastSyncSucceeded()) {
                return new Health(live, false, "last apply failed (" + loop.consecutiveFailures()
                        + " in a row, retrying): " + worker.lastError());
            }
            return new Health(live, live, live ? "ok" : "sync loop stopped");
        }
    }
}
