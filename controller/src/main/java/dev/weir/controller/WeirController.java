package dev.weir.controller;

import dev.weir.agent.AgentHttpServer;
import dev.weir.agent.Durations;
import dev.weir.agent.Health;
import dev.weir.agent.InformerWatchdog;
import dev.weir.agent.SyncTrigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller replica ({@code weir controller}): informers → pending objects → one reconcile thread →
 * status, annotations and Events, written only while this replica holds the Lease ({@link LeaderLease}); plus
 * {@code /healthz}, {@code /readyz} and {@code /metrics}. Several may run in one JVM (tests, the lab), each with its
 * own client. {@link #close()} releases the Lease when leading.
 */
public final class WeirController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeirController.class);
    /** The loop comes round at least every {@link ReconcileLoop#TICK}; a minute without is a hung write. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(1);

    private final ControllerConfig config;
    private final ControllerMetrics metrics;
    private final ControllerInformers informers;
    private final LeaderLease lease;
    private final ReconcileLoop loop;
    private final AgentHttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WeirController(ControllerConfig config, ControllerMetrics metrics, ControllerInformers informers,
            LeaderLease lease, ReconcileLoop loop, AgentHttpServer http) {
        this.config = config;
        this.metrics = metrics;
        this.informers = informers;
        this.lease = lease;
        this.loop = loop;
        this.http = http;
    }

    /** Starts a replica: it watches at once and stands for leader; returns without waiting for either. */
    public static WeirController start(ControllerConfig config, KubernetesClient client) throws IOException {
        return start(config, client, InformerWatchdog.DEFAULT_STALL_LIMIT);
    }

    static WeirController start(ControllerConfig config, KubernetesClient client, Duration watchStallLimit)
            throws IOException {
        ControllerMetrics metrics = new ControllerMetrics();
        SyncTrigger trigger = new SyncTrigger();
        PendingObjects pending = new PendingObjects(trigger);
        ControllerInformers informers = new ControllerInformers(client, pending, trigger, watchStallLimit);
        ClusterView view = new ClusterView();
        LeaderLease[] lease = new LeaderLease[1];
        ReconcileLoop[] loop = new ReconcileLoop[1];
        lease[0] = new LeaderLease(client, config.lease(), leading -> {
            metrics.leader.set(leading ? 1 : 0);
            metrics.leaderTransitions.inc();
            if (leading) {
                loop[0].leadershipGained();
            }
        });
        PolicyReconciler reconciler = new PolicyReconciler(view, new ClusterPolicyStatusWriter(client),
                new EnforcedAnnotationWriter(client), new PolicyEvents(client, config.lease().identity()), metrics,
                lease[0]::leading);
        loop[0] = new ReconcileLoop(pending, view, reconciler, informers, trigger, config, metrics,
                lease[0]::leading);
        AgentHttpServer http = null;
        try {
            if (config.httpPort() >= 0) {
                http = AgentHttpServer.start(config.httpPort(), () -> health(informers, loop[0]), metrics);
            }
            informers.start();
            loop[0].start();
            lease[0].start();
        } catch (IOException | RuntimeException e) {
            lease[0].close();
            loop[0].close();
            informers.close();
            if (http != null) {
                http.close();
            }
            throw e;
        }
        WeirController controller = new WeirController(config, metrics, informers, lease[0], loop[0], http);
        LOG.info("controller {} started (Lease {}, lease {} / renew {} / retry {}, stale after {}, http port {})",
                config.lease().identity(), config.lease().describe(), Durations.format(config.lease().duration()),
                Durations.format(config.lease().renewDeadline()), Durations.format(config.lease().retryPeriod()),
                Durations.format(config.staleAfter()), controller.httpPort());
        return controller;
    }

    /** Live while the reconcile loop comes round; ready once the caches have synced, leader or not. */
    private static Health health(ControllerInformers informers, ReconcileLoop loop) {
        boolean live = loop.alive(STALL_LIMIT);
        if (!informers.synced()) {
            return new Health(live, false, "informer caches not synced yet: "
                    + String.join(", ", informers.unsyncedKinds()));
        }
        return new Health(live, live, live ? "ok" : "reconcile loop stopped");
    }

    public Health health() {
        return health(informers, loop);
    }

    /** Whether this replica holds the Lease now (and so is the one that writes). */
    public boolean leading() {
        return lease.leading();
    }

    public String identity() {
        return lease.identity();
    }

    public ControllerMetrics metrics() {
        return metrics;
    }

    public ControllerConfig config() {
        return config;
    }

    /** The bound HTTP port, or -1 when the server is disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Stops writing (releasing the Lease when leading), watching and serving. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lease.close();
        loop.close();
        informers.close();
        if (http != null) {
            http.close();
        }
        LOG.info("controller {} stopped", lease.identity());
    }
}
