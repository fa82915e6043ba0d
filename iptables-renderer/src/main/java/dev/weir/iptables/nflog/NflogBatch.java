package dev.weir.iptables.nflog;

import java.util.List;

/**
 * What one receive from an NFLOG socket held.
 *
 * @param packets   the packets decoded, in the kernel's order
 * @param malformed messages that could not be decoded (or did not come from the kernel) and were skipped
 * @param overrun   the socket's receive buffer had overflowed: the kernel dropped messages before this receive
 *                  (ENOBUFS); an overrun batch holds nothing else
 */
public record NflogBatch(List<NflogPacket> packets, int malformed, boolean overrun) {

    public static final NflogBatch EMPTY = new NflogBatch(List.of(), 0, false);
    public static final NflogBatch OVERRUN = new NflogBatch(List.of(), 0, true);

    public NflogBatch {
        packets = List.copyOf(packets);
        if (malformed < 0) {
            throw new IllegalArgumentException("malformed count " + malformed + " < 0");
        }
    }

    public boolean isEmpty() {
        return packets.isEmpty() && malformed == 0 && !overrun;
    }
}
