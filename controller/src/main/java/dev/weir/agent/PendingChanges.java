package dev.weir.agent;

import dev.weir.model.ObjectKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Changes recorded by informer handlers and not yet taken by the sync worker: the latest change per key, with the time
 * the first of them arrived (the event-to-apply latency is measured from there). Handlers call {@link #record} from
 * fabric8's threads; the worker calls {@link #drain}. Cheap on both sides: one lock, one map operation.
 */
public final class PendingChanges {

    /** A change and when the oldest unapplied event for its key arrived ({@link LongSupplier} nanos). */
    public record Entry(Change change, long firstSeenNanos) {
    }

    private final LongSupplier ticker;
    private final Map<ObjectKey, Entry> pending = new LinkedHashMap<>();

    public PendingChanges(LongSupplier ticker) {
        this.ticker = ticker;
    }

    public void record(Change change) {
        long now = ticker.getAsLong();
        synchronized (pending) {
            pending.merge(change.key(), new Entry(change, now),
                    (old, fresh) -> new Entry(fresh.change(), old.firstSeenNanos()));
        }
    }

    public boolean isEmpty() {
        synchronized (pending) {
            return pending.isEmpty();
        }
    }

    public int size() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Takes every pending change, in arrival order of their keys. */
    public List<Entry> drain() {
        synchronized (pending) {
            List<Entry> out = new ArrayList<>(pending.values());
            pending.clear();
            return out;
        }
    }
}
