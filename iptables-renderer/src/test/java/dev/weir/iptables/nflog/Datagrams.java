package dev.weir.iptables.nflog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds what the kernel sends an NFLOG socket, for parser tests: netlink messages (host order headers) holding
 * nfgenmsg + NFULA attributes (big-endian values), and IPv4/IPv6 packets to put in NFULA_PAYLOAD.
 */
final class Datagrams {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Appends one message (its length, padded to 4 bytes, is filled in). */
    Datagrams message(int type, int flags, int seq, byte[] body) {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        h.putInt(16 + body.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        out.writeBytes(h.array());
        out.writeBytes(body);
        out.writeBytes(new byte[pad(body.length)]);
        return this;
    }

    Datagrams packet(Packet p) {
        return message(Netlink.NFULNL_MSG_PACKET, 0, 0, p.body());
    }

    /** An NLMSG_ERROR answering {@code seq} with {@code -errno} (0: an ACK), followed by the request's header. */
    Datagrams ack(int seq, int errno) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putInt(-errno).putInt(36).putShort((short) Netlink.NFULNL_MSG_CONFIG).putShort((short) 5).putInt(seq);
        return message(Netlink.NLMSG_ERROR, 0, seq, b.array());
    }

    Datagrams done() {
        return message(Netlink.NLMSG_DONE, 2, 0, new byte[4]);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static int pad(int len) {
        return (4 - len % 4) % 4;
    }

    /** One NFULNL_MSG_PACKET body: nfgenmsg then attributes in the order added. */
    static final class Packet {
        private final ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        private final int family;
        private final int group;

        Packet(int family, int group) {
            this.family = family;
            this.group = group;
        }

        /** A packet as the kernel logs it: header (hw protocol, hook), prefix, payload. */
        static Packet of(int family, int group, int hook, String prefix, byte[] payload) {
            int hw = family == Netlink.AF_INET ? 0x0800 : 0x86dd;
            return new Packet(family, group)
                    .attr(Netlink.NFULA_PACKET_HDR, be().putShort((short) hw).put((byte) hook).put((byte) 0))
                    .prefix(prefix)
                    .attr(Netlink.NFULA_PAYLOAD, payload);
        }

        Packet prefix(String prefix) {
            byte[] s = prefix.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[s.length + 1];
            System.arraycopy(s, 0, z, 0, s.length);
            return attr(Netlink.NFULA_PREFIX, z);
        }

        Packet u32(int type, int value) {
            return attr(type, ByteBuffer.allocate(4).putInt(value).array());
        }

        Packet attr(int type, ByteBuffer value) {
            return attr(type, java.util.Arrays.copyOf(value.array(), value.position()));
        }

        Packet attr(int type, byte[] value) {
            ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            h.putShort((short) (4 + value.length)).putShort((short) type);
            attrs.writeBytes(h.array());
            attrs.writeBytes(value);
            attrs.writeBytes(new byte[pad(value.length)]);
            return this;
        }

        byte[] body() {
            ByteBuffer g = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
            g.put((byte) family).put((byte) 0).putShort((short) group);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(g.array());
            b.writeBytes(attrs.toByteArray());
            return b.toByteArray();
        }

        private static ByteBuffer be() {
            return ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        }
    }

    /** An IPv4 header (20 bytes, or more with {@code options}) followed by {@code l4}. */
    static byte[] ipv4(String src, String dst, int protocol, int fragmentField, byte[] options, byte[] l4) {
        int ihl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(ihl + l4.length);
        b.put((byte) (0x40 | ihl / 4)).put((byte) 0).putShort((short) (ihl + l4.length)).putShort((short) 0x1234)
                .putShort((short) fragmentField).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(addr(src)).put(addr(dst)).put(options).put(l4);
        return b.array();
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        return ipv4(src, dst, protocol, 0x4000, new byte[0], l4);
    }

    /** An IPv6 header whose next header is {@code next}, followed by {@code rest} (extension headers and L4). */
    static byte[] ipv6(String src, String dst, int next, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(40 + rest.length);
        b.putInt(0x60000000).putShort((short) rest.length).put((byte) next).put((byte) 64)
                .put(addr(src)).put(addr(dst)).put(rest);
        return b.array();
    }

    /** The first bytes of a TCP/UDP/SCTP header: ports, then {@code more} zero bytes. */
    static byte[] ports(int src, int dst, int more) {
        return ByteBuffer.allocate(4 + more).putShort((short) src).putShort((short) dst).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] addr(String literal) {
        try {
            return java.net.InetAddress.getByName(literal).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
