package dev.weir.agent;

import dev.weir.agent.local.Discovery;
import dev.weir.agent.local.Fingerprint;
import dev.weir.agent.local.InterfaceBindings;
import dev.weir.agent.local.InterfaceDiscovery;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.model.Cidr;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's view of its own node's network, kept for the sync ({@link LocalNetworkSource}): which local pod sits
 * behind which host interface ({@link InterfaceDiscovery}), the node's pod CIDRs (the flag, or the Node object), and
 * whether unprogrammed pod addresses are dropped.
 * <ul>
 *   <li>On the sync thread, {@link #localNetwork} discovers again when the local pods or their addresses changed, when
 *       the scan saw the node change, and on every FULL sync; otherwise it hands back what it found last. A failed
 *       discovery is logged (throttled) and the last bindings of pods whose addresses did not change are kept: the
 *       sync always gets a LocalNetwork.</li>
 *   <li>On its own thread, a scan every {@code --interface-scan-interval} reads only the host routes and the CNI cache
 *       listing; when they differ from what the last discovery read, it marks a change and pokes the sync trigger, so
 *       a pod's interface appearing after (or before) its Pod object reaches the rules within about one interval.</li>
 *   <li>While fail-closed is asked for and the pod CIDRs are unknown, a second task reads the Node object every 10 s
 *       until they are set; fail-closed is not rendered meanwhile (it needs the CIDRs), with a warning.</li>
 * </ul>
 * Each pod left without an interface is logged once (INFO, with the reason) and counted in
 * {@code weir_pod_interfaces{state="unknown"}}.
 */
final class LocalNetworkTracker implements LocalNetworkSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNetworkTracker.class);
    static final Duration POD_CIDR_RETRY = Duration.ofSeconds(10);
    static final Duration WARNING_REPEAT = Duration.ofMinutes(5);

    private final String node;
    private final LocalNetworkSettings settings;
    private final InterfaceDiscovery discovery;
    private final Callable<List<Cidr>> podCidrFetch;
    private final AgentMetrics metrics;
    private final Runnable poke;
    private final LongSupplier ticker;

    /** Set by the scan (and by pod CIDRs arriving) when the next sync must look again; cleared by discovery. */
    private final AtomicBoolean changed = new AtomicBoolean();
    /** What the last discovery read: null before the first, {@link #FAILED} after a failed one. */
    private volatile Fingerprint lastSeen;
    /** Equal to no scan: once the node can be read again, the scan asks for a discovery at once. */
    private static final Fingerprint FAILED = new Fingerprint(List.of("(discovery failed)"), List.of());
    /** The node's pod CIDRs; null while unknown. */
    private volatile List<Cidr> podCidrs;
    private final Throttle scanWarning = new Throttle();
    private final Throttle cidrWarning = new Throttle();
    private ScheduledExecutorService timer;

    // sync thread only
    private Map<ObjectKey, List<IpAddress>> lastPods;
    private InterfaceBindings lastBindings;
    private final Set<ObjectKey> reportedUnknown = new HashSet<>();
    private final Throttle discoveryWarning = new Throttle();

    /**
     * @param podCidrFetch reads the node's pod CIDRs from the API (empty while unset); used only when the settings
     *        give none and fail-closed is asked for
     * @param poke wakes the sync loop
     */
    LocalNetworkTracker(String node, LocalNetworkSettings settings, InterfaceDiscovery discovery,
            Callable<List<Cidr>> podCidrFetch, AgentMetrics metrics, Runnable poke, LongSupplier ticker) {
        this.node = Objects.requireNonNull(node, "node");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.podCidrFetch = Objects.requireNonNull(podCidrFetch, "podCidrFetch");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.poke = Objects.requireNonNull(poke, "poke");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.podCidrs = settings.podCidrs().isEmpty() ? null : settings.podCidrs();
    }

    /** Starts the scan and, if needed, the pod CIDR reads; logs what this agent does about its node. */
    synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        LOG.info("node {}: anti-spoofing {}; unprogrammed pod addresses: {}; pod CIDRs: {}", node,
                settings.antiSpoofing() ? "on (" + discovery + ", scanned every "
                        + Durations.format(settings.scanInterval()) + ")" : "off",
                settings.failClosed() ? "dropped (fail-closed)" : "allowed",
                podCidrs != null ? podCidrs + " (--pod-cidrs)" : "from the Node object");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(2, r -> {
            Thread th = new Thread(r, "weir-local-" + node);
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = t;
        if (settings.antiSpoofing()) {
            long every = settings.scanInterval().toNanos();
            t.scheduleWithFixedDelay(this::scan, every, every, TimeUnit.NANOSECONDS);
        }
        if (podCidrs == null && settings.failClosed()) {
            t.scheduleWithFixedDelay(this::readPodCidrs, 0, POD_CIDR_RETRY.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Whether the node changed since the last discovery (the sync loop counts it as pending work). */
    boolean changed() {
        return changed.get();
    }

    /** One scan: routes and cache listing against what the last discovery read. Never throws. */
    void scan() {
        try {
            Fingerprint now = discovery.scan();
            Fingerprint seen = lastSeen;
            if (seen != null && !now.equals(seen)) {
                changed.set(true);
                poke.run();
            }
            scanWarning.reset();
        } catch (Exception | LinkageError e) {
            if (scanWarning.due(e.toString(), ticker.getAsLong())) {
                LOG.warn("node {}: cannot scan for pod interfaces, a new pod's interface is found at the next pod "
                        + "change or full resync instead: {}", node, e.toString());
            }
        }
    }

    /** One read of the Node object's pod CIDRs while they are unknown. Never throws. */
    void readPodCidrs() {
        if (podCidrs != null) {
            return;
        }
        String problem;
        try {
            List<Cidr> read = podCidrFetch.call();
            if (!read.isEmpty()) {
                podCidrs = List.copyOf(read);
                LOG.info("node {}: pod CIDRs {} (Node spec.podCIDRs); unprogrammed pod addresses are dropped from the "
                        + "next sync on", node, read);
                changed.set(true);
                poke.run();
                return;
            }
            problem = "its Node object has no spec.podCIDRs yet";
        } catch (Exception e) {
            problem = "cannot read its Node object: " + e;
        }
        if (cidrWarning.due(problem, ticker.getAsLong())) {
            LOG.warn("node {}: --unprogrammed-pods drop is not enforced yet, the node's pod CIDRs are unknown ({}); "
                    + "asking again every {} (or pass --pod-cidrs)", node, problem, Durations.format(POD_CIDR_RETRY));
        }
    }

    @Override
    public LocalNetwork localNetwork(PolicyGraph graph, String node, boolean full) {
        Map<ObjectKey, List<IpAddress>> pods = new TreeMap<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            if (e.isPolicyEndpoint()) {
                pods.put(e.key(), e.ips());
            }
        }
        Map<ObjectKey, PodInterface> bound = Map.of();
        if (settings.antiSpoofing()) {
            InterfaceBindings b = bindings(pods, full);
            report(pods, b);
            bound = b.bound();
        } else {
            metrics.podInterfaces.labelValues("bound").set(0);
            metrics.podInterfaces.labelValues("unknown").set(pods.size());
        }
        List<Cidr> cidrs = podCidrs == null ? List.of() : podCidrs;
        // unknown CIDRs: warned by readPodCidrs
        boolean failClosed = settings.failClosed() && !cidrs.isEmpty() && cidrsHoldEveryLocalPod(pods, cidrs);
        return new LocalNetwork(bound, cidrs, failClosed);
    }

    /**
     * Whether the pod CIDRs hold every local pod's address of their families. A local pod outside them means they are
     * not this node's pod ranges (an IPAM that ignores {@code spec.podCIDRs}, as Calico's does, or a cluster-wide
     * {@code --pod-cidrs}): fail-closed would then drop other nodes' pods' traffic passing through here, so it is not
     * rendered, with a warning.
     */
    private boolean cidrsHoldEveryLocalPod(Map<ObjectKey, List<IpAddress>> pods, List<Cidr> cidrs) {
        List<String> outside = new java.util.ArrayList<>();
        pods.forEach((pod, ips) -> {
            for (IpAddress ip : ips) {
                boolean familyCovered = cidrs.stream().anyMatch(c -> c.family() == ip.family());
                if (familyCovered && cidrs.stream().noneMatch(c -> c.contains(ip))) {
                    outside.add(pod.namespacedName() + " " + ip);
                }
            }
        });
        if (outside.isEmpty()) {
            cidrWarning.reset();
            return true;
        }
        if (cidrWarning.due("outside " + outside, ticker.getAsLong())) {
            LOG.warn("node {}: --unprogrammed-pods drop is not enforced: local pods {} are outside the pod CIDRs {}, "
                    + "so those are not this node's pod ranges (an IPAM that does not follow the Node's "
                    + "spec.podCIDRs, or --pod-cidrs naming the cluster's); dropping by them would cut other nodes' "
                    + "pods off", node, outside, cidrs);
        }
        return false;
    }

    private InterfaceBindings bindings(Map<ObjectKey, List<IpAddress>> pods, boolean full) {
        boolean due = full || lastBindings == null || changed.get() || !pods.equals(lastPods);
        if (!due) {
            return lastBindings;
        }
        changed.set(false); // before reading, so a change during the read marks the next sync
        try {
            Discovery d = discovery.discover(pods);
            lastSeen = d.seen();
            lastBindings = d.bindings();
            discoveryWarning.reset();
        } catch (Exception | LinkageError e) {
            if (discoveryWarning.due(e.toString(), ticker.getAsLong())) {
                LOG.warn("node {}: cannot discover pod interfaces, keeping the last ones found for pods whose "
                        + "addresses did not change: {}", node, e.toString());
            }
            lastBindings = kept(pods, "interface discovery failed: " + e);
            lastSeen = FAILED;
        }
        lastPods = pods;
        return lastBindings;
    }

    /** The last bindings of pods whose addresses are the same now; a changed pod may sit behind a new interface. */
    private InterfaceBindings kept(Map<ObjectKey, List<IpAddress>> pods, String why) {
        Map<ObjectKey, PodInterface> bound = new TreeMap<>();
        Map<ObjectKey, String> unknown = new TreeMap<>();
        pods.forEach((pod, ips) -> {
            PodInterface before = lastBindings == null ? null : lastBindings.bound().get(pod);
            if (before != null && ips.equals(lastPods.get(pod))) {
                bound.put(pod, before);
            } else {
                unknown.put(pod, lastBindings != null && lastBindings.unknown().containsKey(pod)
                        && ips.equals(lastPods.get(pod)) ? lastBindings.unknown().get(pod) : why);
            }
        });
        return new InterfaceBindings(new TreeMap<>(bound), new TreeMap<>(unknown));
    }

    private void report(Map<ObjectKey, List<IpAddress>> pods, InterfaceBindings b) {
        metrics.podInterfaces.labelValues("bound").set(b.bound().size());
        metrics.podInterfaces.labelValues("unknown").set(b.unknown().size());
        b.unknown().forEach((pod, why) -> {
            if (reportedUnknown.add(pod)) {
                LOG.info("pod {} {}: no host-side interface found ({}); judged by its address alone until one is",
                        pod.namespacedName(), pods.get(pod), why);
            }
        });
        b.bound().forEach((pod, i) -> {
            if (reportedUnknown.remove(pod)) {
                LOG.info("pod {} {}: bound to {} now", pod.namespacedName(), pods.get(pod), describe(i));
            } else {
                LOG.debug("pod {} {}: bound to {}", pod.namespacedName(), pods.get(pod), describe(i));
            }
        });
        reportedUnknown.retainAll(pods.keySet());
    }

    private static String describe(PodInterface i) {
        return i.attachment() == PodInterface.Attachment.ROUTED ? "routed interface " + i.name()
                : "bridge port " + i.name() + i.mac().map(m -> " (pod MAC " + m + ")").orElse("");
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A warning said when its message changes, and again at most every {@link #WARNING_REPEAT}. */
    private static final class Throttle {
        private String last;
        private long next;

        synchronized boolean due(String message, long now) {
            if (!message.equals(last) || now - next >= 0) {
                last = message;
                next = now + WARNING_REPEAT.toNanos();
                return true;
            }
            return false;
        }

        synchronized void reset() {
            last = null;
        }
    }
}
