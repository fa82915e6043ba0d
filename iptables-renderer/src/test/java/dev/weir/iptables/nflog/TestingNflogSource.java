package dev.weir.iptables.nflog;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted NFLOG source for reader tests: {@link #opener} fails while {@link #busy} is set, each opened source hands
 * out the batches {@link #offer}ed (a {@link #BREAK} makes it throw, as a broken socket does) and waits 20 ms when
 * there are none, as a receive timeout does. Counts opens and closes.
 */
final class TestingNflogSource {

    /** Offer this to make the current source's next receive throw. */
    static final NflogBatch BREAK = new NflogBatch(java.util.List.of(), 0, false);

    final BlockingQueue<NflogBatch> batches = new LinkedBlockingQueue<>();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean busy;

    void offer(NflogBatch batch) {
        batches.add(batch);
    }

    NflogReader.Opener opener() {
        return () -> {
            if (busy) {
                throw new NflogGroupBusyException(7, 1234, 1);
            }
            opens.incrementAndGet();
            return new NflogSource() {
                @Override
                public NflogBatch receive() throws NflogException {
                    NflogBatch b;
                    try {
                        b = batches.poll(20, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new NflogException("interrupted", 4);
                    }
                    if (b == BREAK) {
                        throw new NflogException("receiving from NFLOG group 7: Bad file descriptor (errno 9)", 9);
                    }
                    return b == null ? NflogBatch.EMPTY : b;
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }

                @Override
                public String toString() {
                    return "testing source " + opens.get();
                }
            };
        };
    }
}
