package dev.weir.agent;

import java.util.concurrent.TimeUnit;

/**
 * A one-slot coalescing wake-up, as kube-router's sync request channel of capacity one: any number of pokes while the
 * worker is busy leave one poke behind, so it runs once more, never once per event.
 */
public final class SyncTrigger {

    private boolean poked;

    public synchronized void poke() {
        poked = true;
        notifyAll();
    }

    /** Waits until poked or {@code nanos} pass; consumes the poke. Returns whether it was poked. */
    public synchronized boolean await(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!poked) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        poked = false;
        return true;
    }
}
