package dev.weir.iptables.apply;

import dev.weir.graph.TrackedFlow;
import dev.weir.iptables.sys.LibC;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes conntrack entries by their exact original tuple over ctnetlink ({@code IPCTNL_MSG_CT_DELETE}), many in one
 * {@code sendto}: the kernel finds each entry by hash, so a delete costs microseconds whatever the size of the table.
 * {@code conntrack -D} with a tuple instead dumps the whole table and filters it in user space, in a process of its
 * own: ≈ 30 ms a flow at 10,000 entries, and O(entries) each (docs/benchmarks.md, "Conntrack revocation").
 * <p>
 * Works in the network namespace of the calling thread (run it through {@code NetworkNamespace.call} for another one).
 * Every message carries a complete {@code CTA_TUPLE_ORIG}: a delete request without a tuple would flush the table, so
 * none is ever built without one.
 */
final class ConntrackNetlink {

    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final int SOCKADDR_NL = 12;
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLA_F_NESTED = 0x8000;
    /** (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE. */
    private static final int CT_DELETE = (1 << 8) | 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int CTA_TUPLE_ORIG = 1;
    private static final int CTA_TUPLE_IP = 1;
    private static final int CTA_TUPLE_PROTO = 2;
    private static final int CTA_IP_V4_SRC = 1;
    private static final int CTA_IP_V4_DST = 2;
    private static final int CTA_IP_V6_SRC = 3;
    private static final int CTA_IP_V6_DST = 4;
    private static final int CTA_PROTO_NUM = 1;
    private static final int CTA_PROTO_SRC_PORT = 2;
    private static final int CTA_PROTO_DST_PORT = 3;
    static final int ENOENT = 2;
    /** Requests per {@code sendto}: their answers (≈ 36 bytes each, more for errors) fit the receive buffer. */
    static final int BATCH = 256;
    private static final long ANSWER_WAIT_SECONDS = 5;

    private ConntrackNetlink() {
    }

    /** What the kernel answered to each request, in request order: 0, or a positive errno ({@link #ENOENT}: none). */
    record Answers(int[] errno) {
    }

    /**
     * Deletes the entry of each tuple, in order; returns the kernel's answer to each.
     *
     * @throws ConntrackNetlinkException when the socket cannot be opened or the kernel does not answer
     */
    static Answers delete(List<Protocol> protocols, List<TrackedFlow.Tuple> tuples) throws ConntrackNetlinkException {
        LibC libc = LibC.get();
        int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_NETFILTER);
        if (fd < 0) {
            throw new ConntrackNetlinkException("socket(AF_NETLINK, NETLINK_NETFILTER)", LibC.errno());
        }
        try {
            byte[] timeval = ByteBuffer.allocate(16).order(HOST).putLong(ANSWER_WAIT_SECONDS).putLong(0).array();
            check(libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, timeval.length), "SO_RCVTIMEO");
            int[] answers = new int[tuples.size()];
            byte[] kernel = ByteBuffer.allocate(SOCKADDR_NL).order(HOST).putShort((short) LibC.AF_NETLINK).array();
            byte[] in = new byte[64 * 1024];
            for (int from = 0; from < tuples.size(); from += BATCH) {
                int to = Math.min(tuples.size(), from + BATCH);
                ByteBuffer out = ByteBuffer.allocate((to - from) * 96).order(HOST);
                for (int i = from; i < to; i++) {
                    request(out, i + 1, protocols.get(i), tuples.get(i));
                }
                long sent = libc.sendto(fd, out.array(), out.position(), 0, kernel, SOCKADDR_NL);
                if (sent != out.position()) {
                    throw new ConntrackNetlinkException("sendto (ctnetlink delete)", LibC.errno());
                }
                int pending = to - from;
                while (pending > 0) {
                    long n = libc.recvfrom(fd, in, in.length, 0, null, null);
                    if (n < 0) {
                        throw new ConntrackNetlinkException("no answer from ctnetlink to " + pending
                                + " delete requests", LibC.errno());
                    }
                    pending -= acks(in, (int) n, from + 1, to, answers);
                }
            }
            return new Answers(answers);
        } finally {
            libc.close(fd);
        }
    }

    /** One delete request for {@code t}, sequence {@code seq}, appended to {@code out}. */
    static void request(ByteBuffer out, int seq, Protocol protocol, TrackedFlow.Tuple t) {
        int start = out.position();
        out.putInt(0).putShort((short) CT_DELETE).putShort((short) (NLM_F_REQUEST | NLM_F_ACK)).putInt(seq).putInt(0);
        boolean v4 = t.src().family() == IpFamily.V4;
        out.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) 0).putShort((short) 0); // nfgenmsg, res_id 0
        int orig = nest(out, CTA_TUPLE_ORIG);
        int ip = nest(out, CTA_TUPLE_IP);
        address(out, v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, t.src());
        address(out, v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, t.dst());
        end(out, ip);
        int proto = nest(out, CTA_TUPLE_PROTO);
        attr(out, CTA_PROTO_NUM, 1).put((byte) number(protocol));
        pad(out);
        attr(out, CTA_PROTO_SRC_PORT, 2).order(ByteOrder.BIG_ENDIAN).putShort((short) t.sport()).order(HOST);
        pad(out);
        attr(out, CTA_PROTO_DST_PORT, 2).order(ByteOrder.BIG_ENDIAN).putShort((short) t.dport()).order(HOST);
        pad(out);
        end(out, proto);
        end(out, orig);
        out.putInt(start, out.position() - start);
    }

    /** Records the answers in {@code buf} to sequences {@code first..last}; returns how many it found. */
    static int acks(byte[] buf, int len, int first, int last, int[] answers) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(HOST);
        int found = 0;
        int at = 0;
        while (at + NLMSG_HDRLEN <= len) {
            int msgLen = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            int seq = b.getInt(at + 8);
            if (msgLen < NLMSG_HDRLEN || at + msgLen > len) {
                break;
            }
            if (type == NLMSG_ERROR && msgLen >= NLMSG_HDRLEN + 4 && seq >= first && seq <= last) {
                answers[seq - 1] = -b.getInt(at + NLMSG_HDRLEN);
                found++;
            }
            at += (msgLen + 3) & ~3;
        }
        return found;
    }

    private static int number(Protocol p) {
        return switch (p) {
            case TCP -> 6;
            case UDP -> 17;
            case SCTP -> 132;
        };
    }

    private static void address(ByteBuffer out, int type, IpAddress a) {
        if (a.family() == IpFamily.V4) {
            attr(out, type, 4).order(ByteOrder.BIG_ENDIAN).putInt((int) a.lo()).order(HOST);
        } else {
            attr(out, type, 16).order(ByteOrder.BIG_ENDIAN).putLong(a.hi()).putLong(a.lo()).order(HOST);
        }
    }

    private static ByteBuffer attr(ByteBuffer out, int type, int payload) {
        return out.putShort((short) (4 + payload)).putShort((short) type);
    }

    private static int nest(ByteBuffer out, int type) {
        int at = out.position();
        out.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return at;
    }

    private static void end(ByteBuffer out, int nest) {
        out.putShort(nest, (short) (out.position() - nest));
    }

    private static void pad(ByteBuffer out) {
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }

    private static void check(int rc, String what) throws ConntrackNetlinkException {
        if (rc != 0) {
            throw new ConntrackNetlinkException(what, LibC.errno());
        }
    }

    /** The socket could not be used; the caller falls back to {@code conntrack(8)}. */
    static final class ConntrackNetlinkException extends Exception {
        final int errno;

        ConntrackNetlinkException(String what, int errno) {
            super(what + " failed: " + (errno == 0 ? "timed out" : LibC.get().strerror(errno)));
            this.errno = errno;
        }
    }
}
