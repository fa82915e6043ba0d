package dev.weir.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a process's {@link WatchedInformer}s four times per stall limit and has each replace itself when it has
 * been without a live watch for longer (see {@link WatchedInformer}). One thread of its own.
 */
public final class InformerWatchdog implements AutoCloseable {

    /** How long an informer may go without a live watch before it is replaced (and so re-lists). */
    public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(InformerWatchdog.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** Starts watching {@code informers} (asked afresh each round, so kinds added later are looked at too). */
    public InformerWatchdog(Supplier<List<WatchedInformer<?>>> informers, Duration stallLimit) {
        long period = Math.max(100, stallLimit.toMillis() / 4);
        executor.scheduleWithFixedDelay(() -> {
            try {
                for (WatchedInformer<?> w : informers.get()) {
                    if (!closed) {
                        w.check(System.nanoTime(), stallLimit);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("watchdog check failed", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
