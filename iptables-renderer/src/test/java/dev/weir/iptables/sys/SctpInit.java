package dev.weir.iptables.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * An SCTP packet holding one INIT chunk: what a client sends first, and all that a NetworkPolicy judges (conntrack sees
 * a NEW association). Pure encoding and decoding, so probes work on kernels without SCTP sockets by sending it over a
 * raw IP socket ({@link RawSctp}).
 *
 * <p>Layout (RFC 9260): common header = source port, destination port, verification tag (0 for INIT), CRC32c checksum
 * (computed with the field zeroed, stored least significant byte first, as Linux does); INIT chunk = type 1, flags 0,
 * length 20, initiate tag (non-zero), a_rwnd, outbound streams, inbound streams, initial TSN.
 */
public record SctpInit(int sourcePort, int destinationPort, int initiateTag) {

    public static final int PROTOCOL = 132;
    public static final int LENGTH = 32;
    private static final int CHUNK_INIT = 1;

    public SctpInit {
        if (sourcePort < 1 || sourcePort > 65535 || destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("ports are 1-65535: " + sourcePort + " -> " + destinationPort);
        }
        if (initiateTag == 0) {
            throw new IllegalArgumentException("an INIT's initiate tag must not be 0");
        }
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(0).putInt(0);
        b.put((byte) CHUNK_INIT).put((byte) 0).putShort((short) 20);
        b.putInt(initiateTag).putInt(65536).putShort((short) 1).putShort((short) 1).putInt(initiateTag);
        byte[] out = b.array();
        int crc = checksum(out, 0, LENGTH);
        ByteBuffer.wrap(out, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
        return out;
    }

    /** CRC32c over {@code len} bytes with the checksum field (bytes 8-11) taken as zero. */
    static int checksum(byte[] packet, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(packet, off, 8);
        crc.update(new byte[4]);
        crc.update(packet, off + 12, len - 12);
        return (int) crc.getValue();
    }

    /**
     * The INIT in an IPv4 packet as a raw socket receives it (IP header first), if it is one: protocol 132, an INIT
     * chunk, and a correct checksum. Anything else is empty.
     */
    public static Optional<SctpInit> fromIpv4(byte[] buf, int len) {
        if (len < 20 || (buf[0] >> 4 & 0xf) != 4 || (buf[9] & 0xff) != PROTOCOL) {
            return Optional.empty();
        }
        return fromSctp(buf, (buf[0] & 0xf) * 4, len);
    }

    /**
     * The INIT in an SCTP packet starting at {@code ihl} of {@code buf} (0 for what an IPv6 raw socket receives: the
     * payload alone), if it is one: an INIT chunk and a correct checksum.
     */
    public static Optional<SctpInit> fromSctp(byte[] buf, int ihl, int len) {
        if (len < ihl + LENGTH || buf[ihl + 12] != CHUNK_INIT) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        int sctpLen = len - ihl;
        int stored = ByteBuffer.wrap(buf, ihl + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != checksum(buf, ihl, sctpLen)) {
            return Optional.empty();
        }
        int src = b.getShort(ihl) & 0xffff;
        int dst = b.getShort(ihl + 2) & 0xffff;
        int tag = b.getInt(ihl + 16);
        if (src == 0 || dst == 0 || tag == 0) {
            return Optional.empty();
        }
        return Optional.of(new SctpInit(src, dst, tag));
    }
}
