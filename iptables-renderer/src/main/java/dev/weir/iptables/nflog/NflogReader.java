package dev.weir.iptables.nflog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one NFLOG group on a thread of its own and hands every packet to a consumer, for as long as it is open: if the
 * group cannot be bound (another socket holds it) or the socket breaks, it logs why, waits ({@link Backoff}: 1 s
 * doubling to 30 s) and binds again; nothing it meets ends the thread but {@link #close}. {@link #status} tells a
 * health or metrics view whether it is bound, its last error and its counters.
 *
 * <p><b>Namespace.</b> The reader's thread is started by {@link #start} on the calling thread, and a new thread shares
 * the network namespace of the thread that creates it; every socket the reader opens (the first and each retry) is
 * therefore in the caller's namespace. To read a namespace other than the process's, start it inside
 * {@code NetworkNamespace.call(() -> NflogReader.start(config, consumer))}.
 *
 * <p>The consumer runs on the reader's thread: a slow one fills the socket's buffer and the kernel drops (counted as
 * overruns, and as lost packets by the gaps in the group's sequence numbers). An exception it throws is counted and
 * logged, and reading goes on.
 */
public final class NflogReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NflogReader.class);
    private static final long JOIN_MILLIS = 5_000;

    public enum State { STARTING, BOUND, RETRYING, CLOSED }

    /**
     * A snapshot for health and metrics.
     *
     * @param received         packets decoded and handed to the consumer
     * @param malformed        messages skipped as undecodable (or not from the kernel)
     * @param overruns         times the socket's buffer overflowed (ENOBUFS): the kernel dropped one or more messages
     * @param lost             packets the kernel logged that never reached us, by gaps in the group's sequence
     * @param consumerFailures packets whose consumer threw
     * @param bindFailures     failed attempts to bind since the last success (0 while bound)
     * @param lastError        the last failure to bind or read, kept after a later success
     */
    public record Status(int group, State state, long received, long malformed, long overruns, long lost,
            long consumerFailures, int bindFailures, Optional<String> lastError) {
    }

    /** Opens a bound source; {@link NflogSocket#open} in production. */
    @FunctionalInterface
    public interface Opener {
        NflogSource open() throws NflogException;
    }

    private final int group;
    private final Opener opener;
    private final Consumer<NflogPacket> consumer;
    private final Backoff backoff;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong consumerFailures = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile int bindFailures;
    private volatile String lastError;

    private NflogReader(int group, Opener opener, Consumer<NflogPacket> consumer, Backoff backoff) {
        this.group = group;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.thread = new Thread(this::run, "nflog-" + group);
        this.thread.setDaemon(true);
    }

    /** Reads {@code config.group()} through {@link NflogSocket}s in the calling thread's network namespace. */
    public static NflogReader start(NflogConfig config, Consumer<NflogPacket> consumer) {
        return start(config.group(), () -> NflogSocket.open(config), consumer, Backoff.DEFAULT);
    }

    /** With any source and backoff (tests; or a caller that wraps the socket). */
    public static NflogReader start(int group, Opener opener, Consumer<NflogPacket> consumer, Backoff backoff) {
        NflogReader reader = new NflogReader(group, opener, consumer, backoff);
        reader.thread.start();
        return reader;
    }

    public Status status() {
        return new Status(group, state, received.get(), malformed.get(), overruns.get(), lost.get(),
                consumerFailures.get(), bindFailures, Optional.ofNullable(lastError));
    }

    private boolean open() {
        return closing.getCount() > 0;
    }

    private void run() {
        try {
            while (open()) {
                NflogSource source;
                try {
                    source = opener.open();
                } catch (NflogException | RuntimeException | LinkageError e) {
                    failed("cannot bind", e);
                    continue;
                }
                try (source) {
                    bound(source);
                    read(source);
                } catch (NflogException | RuntimeException | LinkageError e) {
                    failed("reading failed", e);
                }
            }
        } finally {
            state = State.CLOSED;
        }
    }

    private void bound(NflogSource source) {
        if (bindFailures > 0) {
            LOG.info("NFLOG group {}: bound ({}) after {} failed attempts", group, source, bindFailures);
        } else {
            LOG.info("NFLOG group {}: bound ({})", group, source);
        }
        bindFailures = 0;
        state = State.BOUND;
    }

    private void read(NflogSource source) throws NflogException {
        long expected = 0; // the next sequence number: a fresh binding numbers its packets from 0
        while (open()) {
            NflogBatch batch = source.receive();
            if (batch.overrun()) {
                long n = overruns.incrementAndGet();
                if (n == 1 || Long.bitCount(n) == 1) {
                    LOG.warn("NFLOG group {}: socket buffer overflowed, the kernel dropped packets ({} times so far)",
                            group, n);
                }
            }
            malformed.addAndGet(batch.malformed());
            for (NflogPacket p : batch.packets()) {
                if (p.sequence() >= 0) {
                    lost.addAndGet(gap(expected, p.sequence()));
                    expected = (p.sequence() + 1) & 0xffffffffL;
                }
                received.incrementAndGet();
                deliver(p);
            }
        }
    }

    /** Packets missing between the sequence number expected and the one seen (32 bits, wrapping). */
    static long gap(long expected, long seen) {
        long d = (seen - expected) & 0xffffffffL;
        return d < 0x80000000L ? d : 0; // "behind" cannot happen on one socket; do not count it as a loss
    }

    private void deliver(NflogPacket p) {
        try {
            consumer.accept(p);
        } catch (RuntimeException e) {
            long n = consumerFailures.incrementAndGet();
            if (n == 1) {
                LOG.warn("NFLOG group {}: the consumer threw on {}; counting further failures", group, p, e);
            } else {
                LOG.debug("NFLOG group {}: the consumer threw on {}", group, p, e);
            }
        }
    }

    private void failed(String what, Throwable e) {
        if (!open()) {
            return;
        }
        int failures = ++bindFailures;
        String message = what + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
        Duration wait = backoff.delay(failures);
        boolean news = !message.equals(lastError) || state != State.RETRYING;
        lastError = message;
        state = State.RETRYING;
        if (news) {
            LOG.error("NFLOG group {}: {}; retrying in {} ms (denied packets are not recorded meanwhile)", group,
                    message, wait.toMillis());
        } else {
            LOG.debug("NFLOG group {}: {} (attempt {}); retrying in {} ms", group, message, failures,
                    wait.toMillis());
        }
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    /** Stops the thread (within one receive timeout) and releases the group; waits for it up to 5 s. */
    @Override
    public void close() {
        closing.countDown();
        if (Thread.currentThread() == thread) {
            return; // closed from the consumer: the loop ends after this packet
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("NFLOG group {}: reader thread still running {} ms after close (a consumer stuck?)", group,
                    JOIN_MILLIS);
        }
    }

    @Override
    public String toString() {
        return "NflogReader[group " + group + ", " + state + "]";
    }
}
