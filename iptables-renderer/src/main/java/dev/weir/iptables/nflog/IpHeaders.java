package dev.weir.iptables.nflog;

import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;

/**
 * The IP and transport headers at the start of a logged packet's payload (NFULA_PAYLOAD begins at the network header).
 * The payload is cut at the group's copy range, so the L4 part may be missing: then the ports are -1, the packet is
 * still a packet. What cannot be a packet of the family (wrong version, header longer than the bytes, lengths that
 * contradict each other) is null.
 */
record IpHeaders(IpAddress source, IpAddress destination, int protocol, int sourcePort, int destinationPort,
        int icmpType, int icmpCode) {

    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int DCCP = 33;
    static final int SCTP = 132;
    static final int UDPLITE = 136;
    static final int ICMPV6 = 58;

    // IPv6 extension headers (RFC 8200 section 4) the walk can step over
    private static final int HOP_BY_HOP = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int AUTH = 51;
    private static final int DEST_OPTS = 60;
    /** More would not fit in any sane copy range; a longer chain is left as "unknown". */
    private static final int MAX_EXTENSION_HEADERS = 8;

    /** Decodes {@code len} bytes at {@code off} of {@code b} as a packet of {@code family}; null when malformed. */
    static IpHeaders decode(byte[] b, int off, int len, IpFamily family) {
        if (len < 1) {
            return null;
        }
        return family == IpFamily.V4 ? v4(b, off, len) : v6(b, off, len);
    }

    private static IpHeaders v4(byte[] b, int off, int len) {
        if (len < 20 || (b[off] & 0xf0) != 0x40) {
            return null;
        }
        int ihl = (b[off] & 0x0f) * 4;
        int total = u16(b, off + 2);
        if (total == 0) {
            total = len; // BIG TCP: a GRO packet over 64 KiB carries total length 0
        }
        if (ihl < 20 || ihl > len || total < ihl) {
            return null;
        }
        IpAddress src = new IpAddress(IpFamily.V4, 0, u32(b, off + 12));
        IpAddress dst = new IpAddress(IpFamily.V4, 0, u32(b, off + 16));
        int protocol = b[off + 9] & 0xff;
        boolean laterFragment = (u16(b, off + 6) & 0x1fff) != 0;
        if (laterFragment) {
            return new IpHeaders(src, dst, protocol, -1, -1, -1, -1);
        }
        return transport(src, dst, protocol, b, off + ihl, Math.min(len, total) - ihl, ICMP);
    }

    private static IpHeaders v6(byte[] b, int off, int len) {
        if (len < 40 || (b[off] & 0xf0) != 0x60) {
            return null;
        }
        IpAddress src = new IpAddress(IpFamily.V6, u64(b, off + 8), u64(b, off + 16));
        IpAddress dst = new IpAddress(IpFamily.V6, u64(b, off + 24), u64(b, off + 32));
        int next = b[off + 6] & 0xff;
        int pos = 40;
        for (int i = 0; i < MAX_EXTENSION_HEADERS && isExtension(next); i++) {
            if (pos + 8 > len) {
                return new IpHeaders(src, dst, next, -1, -1, -1, -1); // cut inside the chain: the last header known
            }
            int headerNext = b[off + pos] & 0xff;
            int size;
            if (next == FRAGMENT) {
                if ((u16(b, off + pos + 2) & 0xfff8) != 0) {
                    return new IpHeaders(src, dst, headerNext, -1, -1, -1, -1); // a later fragment: no L4 header
                }
                size = 8;
            } else if (next == AUTH) {
                size = ((b[off + pos + 1] & 0xff) + 2) * 4;
            } else {
                size = ((b[off + pos + 1] & 0xff) + 1) * 8;
            }
            next = headerNext;
            pos += size;
        }
        if (isExtension(next) || pos > len) {
            return new IpHeaders(src, dst, next, -1, -1, -1, -1);
        }
        return transport(src, dst, next, b, off + pos, len - pos, ICMPV6);
    }

    private static boolean isExtension(int header) {
        return header == HOP_BY_HOP || header == ROUTING || header == FRAGMENT || header == AUTH
                || header == DEST_OPTS;
    }

    private static IpHeaders transport(IpAddress src, IpAddress dst, int protocol, byte[] b, int off, int len,
            int icmp) {
        if (hasPorts(protocol) && len >= 4) {
            return new IpHeaders(src, dst, protocol, u16(b, off), u16(b, off + 2), -1, -1);
        }
        if (protocol == icmp && len >= 2) {
            return new IpHeaders(src, dst, protocol, -1, -1, b[off] & 0xff, b[off + 1] & 0xff);
        }
        return new IpHeaders(src, dst, protocol, -1, -1, -1, -1);
    }

    /** Protocols whose header starts with a 16-bit source and a 16-bit destination port. */
    private static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == SCTP || protocol == DCCP || protocol == UDPLITE;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    private static long u64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }
}
