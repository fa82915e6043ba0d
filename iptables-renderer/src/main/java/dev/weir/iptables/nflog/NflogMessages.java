package dev.weir.iptables.nflog;

import static dev.weir.iptables.nflog.Netlink.AF_INET;
import static dev.weir.iptables.nflog.Netlink.AF_INET6;
import static dev.weir.iptables.nflog.Netlink.NFGENMSG_LEN;
import static dev.weir.iptables.nflog.Netlink.NLA_HDRLEN;
import static dev.weir.iptables.nflog.Netlink.NLMSG_HDRLEN;

import dev.weir.model.IpFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes what an NFLOG socket receives: one datagram of netlink messages (several when the group batches,
 * {@code NLM_F_MULTI} ending in {@code NLMSG_DONE}), each an nfgenmsg followed by NFULA_* attributes. Pure and total:
 * any byte array yields a batch, never an exception. A packet message that cannot be decoded (a length that runs past
 * its container, an attribute of the wrong size, no payload, a family other than IPv4/IPv6, a payload that is not a
 * packet of that family) counts as one malformed message and the walk goes on with the next; a message header whose
 * length is impossible ends the walk (nothing after it can be found) and counts once.
 */
public final class NflogMessages {

    /** Receives the ACKs and errors in a datagram: the sequence number they answer and 0 or a positive errno. */
    @FunctionalInterface
    interface AckSink {
        void ack(int sequence, int errno);
    }

    private NflogMessages() {
    }

    /** The packets in the first {@code len} bytes of {@code buf}. */
    public static NflogBatch parse(byte[] buf, int len) {
        return parse(buf, len, (seq, errno) -> { });
    }

    static NflogBatch parse(byte[] buf, int len, AckSink acks) {
        if (buf == null) {
            return NflogBatch.EMPTY;
        }
        int end = Math.max(0, Math.min(len, buf.length));
        ByteBuffer host = ByteBuffer.wrap(buf).order(Netlink.HOST);
        List<NflogPacket> packets = new ArrayList<>();
        int malformed = 0;
        int off = 0;
        while (off < end) {
            if (end - off < NLMSG_HDRLEN) {
                malformed++; // a fragment of a header: nothing sent by the kernel looks like this
                break;
            }
            long msgLen = host.getInt(off) & 0xffffffffL;
            int type = host.getShort(off + 4) & 0xffff;
            int seq = host.getInt(off + 8);
            if (msgLen < NLMSG_HDRLEN || msgLen > end - off) {
                malformed++;
                break;
            }
            int msgEnd = off + (int) msgLen;
            if (type == Netlink.NLMSG_DONE) {
                break;
            } else if (type == Netlink.NLMSG_ERROR) {
                if (msgLen >= NLMSG_HDRLEN + 4) {
                    acks.ack(seq, -host.getInt(off + NLMSG_HDRLEN));
                } else {
                    malformed++;
                }
            } else if (type == Netlink.NFULNL_MSG_PACKET) {
                NflogPacket p = packet(buf, host, off + NLMSG_HDRLEN, msgEnd);
                if (p == null) {
                    malformed++;
                } else {
                    packets.add(p);
                }
            }
            // NLMSG_NOOP, NLMSG_OVERRUN and other subsystems' messages carry nothing for us
            off += Netlink.align((int) msgLen);
        }
        return packets.isEmpty() && malformed == 0 ? NflogBatch.EMPTY : new NflogBatch(packets, malformed, false);
    }

    /** One NFULNL_MSG_PACKET body (nfgenmsg + attributes) in {@code [start, end)}; null when malformed. */
    private static NflogPacket packet(byte[] buf, ByteBuffer host, int start, int end) {
        if (end - start < NFGENMSG_LEN) {
            return null;
        }
        int pf = buf[start] & 0xff;
        IpFamily family = pf == AF_INET ? IpFamily.V4 : pf == AF_INET6 ? IpFamily.V6 : null;
        if (family == null) {
            return null;
        }
        ByteBuffer net = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
        int group = net.getShort(start + 2) & 0xffff;
        String prefix = "";
        int hook = -1;
        int in = 0;
        int out = 0;
        int physIn = 0;
        int physOut = 0;
        int mark = 0;
        long sequence = -1;
        Optional<Instant> timestamp = Optional.empty();
        int payloadAt = -1;
        int payloadLen = 0;
        int pos = start + NFGENMSG_LEN;
        while (end - pos >= NLA_HDRLEN) {
            int nlaLen = host.getShort(pos) & 0xffff;
            int type = host.getShort(pos + 2) & Netlink.NLA_TYPE_MASK;
            if (nlaLen < NLA_HDRLEN || nlaLen > end - pos) {
                return null;
            }
            int value = pos + NLA_HDRLEN;
            int size = nlaLen - NLA_HDRLEN;
            switch (type) {
                case Netlink.NFULA_PACKET_HDR -> {
                    if (size < 4) {
                        return null;
                    }
                    hook = buf[value + 2] & 0xff;
                }
                case Netlink.NFULA_PREFIX -> prefix = cString(buf, value, size);
                case Netlink.NFULA_PAYLOAD -> {
                    payloadAt = value;
                    payloadLen = size;
                }
                case Netlink.NFULA_MARK, Netlink.NFULA_IFINDEX_INDEV, Netlink.NFULA_IFINDEX_OUTDEV,
                        Netlink.NFULA_IFINDEX_PHYSINDEV, Netlink.NFULA_IFINDEX_PHYSOUTDEV, Netlink.NFULA_SEQ -> {
                    if (size != 4) {
                        return null;
                    }
                    int v = net.getInt(value);
                    switch (type) {
                        case Netlink.NFULA_MARK -> mark = v;
                        case Netlink.NFULA_IFINDEX_INDEV -> in = v;
                        case Netlink.NFULA_IFINDEX_OUTDEV -> out = v;
                        case Netlink.NFULA_IFINDEX_PHYSINDEV -> physIn = v;
                        case Netlink.NFULA_IFINDEX_PHYSOUTDEV -> physOut = v;
                        default -> sequence = v & 0xffffffffL;
                    }
                }
                case Netlink.NFULA_TIMESTAMP -> {
                    if (size != 16) {
                        return null;
                    }
                    timestamp = instant(net.getLong(value), net.getLong(value + 8));
                }
                default -> {
                    // hardware address and header, uid/gid, conntrack, vlan: not needed for a denial record
                }
            }
            pos += Netlink.align(nlaLen);
        }
        if (hook < 0 || payloadAt < 0) {
            return null;
        }
        IpHeaders ip = IpHeaders.decode(buf, payloadAt, payloadLen, family);
        if (ip == null) {
            return null;
        }
        return new NflogPacket(group, prefix, hook, family, ip.source(), ip.destination(), ip.protocol(),
                ip.sourcePort(), ip.destinationPort(), ip.icmpType(), ip.icmpCode(), in, out, physIn, physOut, mark,
                sequence, timestamp);
    }

    /** The prefix attribute is NUL-terminated; a missing NUL ends at the attribute. Invalid UTF-8 is replaced. */
    private static String cString(byte[] buf, int off, int size) {
        int n = 0;
        while (n < size && buf[off + n] != 0) {
            n++;
        }
        return new String(buf, off, n, StandardCharsets.UTF_8);
    }

    /** struct nfulnl_msg_packet_timestamp: seconds and microseconds; absurd values are left out, not thrown. */
    private static Optional<Instant> instant(long seconds, long micros) {
        if (seconds < 0 || micros < 0 || micros >= 1_000_000 || seconds > Instant.MAX.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(seconds, micros * 1000));
    }
}
