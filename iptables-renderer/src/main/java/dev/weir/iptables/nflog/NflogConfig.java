package dev.weir.iptables.nflog;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link NflogSocket} binds its group.
 *
 * @param group          the NFLOG group ({@code --nflog-group}), 0-65535
 * @param copyRange      bytes of each packet copied to us, from the network header: 128 holds an IPv4 header with
 *                       options (≤ 60) or an IPv6 header with a few extension headers, plus the ports
 * @param flushTimeout   how long the kernel may hold a batch ({@code NFULA_CFG_TIMEOUT}, in 1/100 s); null keeps the
 *                       kernel's default (1 s)
 * @param queueThreshold packets the kernel batches into one message ({@code NFULA_CFG_QTHRESH}); 0 keeps the kernel's
 *                       default (1: every packet at once). A rule's {@code --nflog-threshold} overrides it
 * @param receiveBuffer  SO_RCVBUF(FORCE) in bytes: how much may queue while the reader is busy before the kernel
 *                       drops (counted as an overrun)
 * @param receiveTimeout how long one receive waits (SO_RCVTIMEO), so a reader notices close within it
 * @param familyBind     whether to send PF_UNBIND/PF_BIND for IPv4 and IPv6 first (see {@link FamilyBind})
 */
public record NflogConfig(int group, int copyRange, Duration flushTimeout, int queueThreshold, int receiveBuffer,
        Duration receiveTimeout, FamilyBind familyBind) {

    /**
     * Before Linux 3.17 the NFLOG target logged through the family's default logger, which a process had to claim
     * with PF_UNBIND + PF_BIND; since 3.17 ("nf_log_packet() as real unified interface") the target picks
     * nfnetlink_log by type, and PF_BIND only replaces the family's default logger (what
     * {@code /proc/net/netfilter/nf_log} shows and what e.g. conntrack's invalid-packet logging uses) — a change to
     * the node weir has no reason to make. So {@code AUTO} sends them only on kernels older than 3.17.
     */
    public enum FamilyBind { AUTO, ALWAYS, NEVER }

    public static final int DEFAULT_COPY_RANGE = 128;
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;
    public static final Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofMillis(200);

    public NflogConfig {
        Objects.requireNonNull(receiveTimeout, "receiveTimeout");
        Objects.requireNonNull(familyBind, "familyBind");
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("NFLOG group " + group + " out of 0-65535");
        }
        if (copyRange < 40 || copyRange > Netlink.COPY_RANGE_LIMIT) {
            throw new IllegalArgumentException("copy range " + copyRange + " out of 40-" + Netlink.COPY_RANGE_LIMIT
                    + " (less cannot hold an IPv6 header)");
        }
        if (flushTimeout != null && (flushTimeout.isNegative() || flushTimeout.toMillis() / 10 > 0xffffffffL)) {
            throw new IllegalArgumentException("flush timeout " + flushTimeout + " out of range");
        }
        if (queueThreshold < 0) {
            throw new IllegalArgumentException("queue threshold " + queueThreshold + " < 0");
        }
        if (receiveBuffer < 4096) {
            throw new IllegalArgumentException("receive buffer " + receiveBuffer + " < 4096 bytes");
        }
        if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
            throw new IllegalArgumentException("receive timeout must be positive (0 would block forever)");
        }
    }

    /** Group {@code group} with the defaults: 128 bytes copied, the kernel's batching, 4 MiB buffer, 200 ms waits. */
    public static NflogConfig of(int group) {
        return new NflogConfig(group, DEFAULT_COPY_RANGE, null, 0, DEFAULT_RECEIVE_BUFFER, DEFAULT_RECEIVE_TIMEOUT,
                FamilyBind.AUTO);
    }

    public NflogConfig withBatching(int queueThreshold, Duration flushTimeout) {
        return new NflogConfig(group, copyRange, flushTimeout, queueThreshold, receiveBuffer, receiveTimeout,
                familyBind);
    }

    public NflogConfig withReceiveBuffer(int bytes) {
        return new NflogConfig(group, copyRange, flushTimeout, queueThreshold, bytes, receiveTimeout, familyBind);
    }

    public NflogConfig withFamilyBind(FamilyBind bind) {
        return new NflogConfig(group, copyRange, flushTimeout, queueThreshold, receiveBuffer, receiveTimeout, bind);
    }
}
