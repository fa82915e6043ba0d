package dev.weir.iptables.nflog;

/** Where an {@link NflogReader} gets its batches: an {@link NflogSocket}, or a fake in tests. One reader thread. */
public interface NflogSource extends AutoCloseable {

    /**
     * Waits up to the receive timeout for the next datagram. {@link NflogBatch#EMPTY} when none came,
     * {@link NflogBatch#OVERRUN} after the kernel dropped messages; throws when the source is broken for good.
     */
    NflogBatch receive() throws NflogException;

    @Override
    void close();
}
