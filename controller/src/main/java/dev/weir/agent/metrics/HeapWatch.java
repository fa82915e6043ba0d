package dev.weir.agent.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How close the process is to its heap limit: the heap in use after the latest garbage collection (what the agent
 * really keeps; the used heap between collections includes garbage) against the maximum heap. Read from the JVM's
 * GC notifications, once per process (several agents in one JVM share it). Past {@link #WARN_RATIO} after a
 * collection it warns, at most every five minutes, because the next steps are long collections and then
 * {@code OutOfMemoryError}: the chart's heap is sized for a cluster (docs/helm.md, "Agent memory" and "Controller
 * memory"). The agent and the controller export it alike ({@link #register}).
 */
public final class HeapWatch {

    /** Past this share of the maximum heap in use after a collection, a warning. */
    public static final double WARN_RATIO = 0.85;
    private static final long WARN_EVERY_NANOS = 300_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(HeapWatch.class);
    private static final HeapWatch PROCESS = new HeapWatch();

    private final Set<String> heapPools;
    private volatile long usedAfterGc = -1;
    private volatile long lastWarned = System.nanoTime() - WARN_EVERY_NANOS;
    /** Who the process is, and the section of docs/helm.md that sizes its memory (for the warning). */
    private volatile String process = "agent";
    private volatile String sizing = "Agent memory";

    private HeapWatch() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> collected((CompositeData) n.getUserData()),
                        n -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()),
                        null);
            }
        }
    }

    public static HeapWatch process() {
        return PROCESS;
    }

    /**
     * Exports {@code weir_heap_max_bytes}, {@code weir_heap_used_after_gc_bytes} and
     * {@code weir_heap_used_after_gc_ratio} into {@code registry}, for the {@code process} ("agent", "controller")
     * whose memory {@code sizing} (a section of docs/helm.md) sizes; the warning names both.
     */
    public void register(PrometheusRegistry registry, String process, String sizing) {
        this.process = process;
        this.sizing = sizing;
        GaugeWithCallback.builder().name("weir_heap_max_bytes")
                .help("The " + process + "'s maximum heap (-Xmx, or -XX:MaxRAMPercentage of the container's memory "
                        + "limit).")
                .callback(cb -> cb.call(maxBytes())).register(registry);
        GaugeWithCallback.builder().name("weir_heap_used_after_gc_bytes")
                .help("Heap in use after the latest garbage collection: what the " + process
                        + " keeps (its caches and graph).")
                .callback(cb -> cb.call(usedAfterGcBytes())).register(registry);
        GaugeWithCallback.builder().name("weir_heap_used_after_gc_ratio")
                .help("weir_heap_used_after_gc_bytes / weir_heap_max_bytes; past 0.85 the " + process + " warns (give "
                        + "it more memory: docs/helm.md, \"" + sizing + "\").")
                .callback(cb -> cb.call(usedAfterGcRatio())).register(registry);
    }

    /** The maximum heap ({@code -Xmx}, or {@code -XX:MaxRAMPercentage} of the container's memory limit). */
    public long maxBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** Heap in use after the latest collection; before the first one, the heap in use now. */
    public long usedAfterGcBytes() {
        long used = usedAfterGc;
        if (used >= 0) {
            return used;
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    public double usedAfterGcRatio() {
        return (double) usedAfterGcBytes() / maxBytes();
    }

    private void collected(CompositeData data) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(data);
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        usedAfterGc = used;
        long now = System.nanoTime();
        if (used > WARN_RATIO * maxBytes() && now - lastWarned >= WARN_EVERY_NANOS) {
            lastWarned = now;
            LOG.warn("heap after garbage collection ({}) is {} MiB of the maximum {} MiB ({}%): near the limit; give "
                    + "the {} more memory (the chart's heap formula: docs/helm.md, \"{}\")",
                    info.getGcAction(), used >> 20, maxBytes() >> 20, Math.round(100.0 * used / maxBytes()), process,
                    sizing);
        }
    }
}
