package dev.weir.iptables.nflog;

import static dev.weir.iptables.nflog.Datagrams.concat;
import static dev.weir.iptables.nflog.Datagrams.ipv4;
import static dev.weir.iptables.nflog.Datagrams.ipv6;
import static dev.weir.iptables.nflog.Datagrams.ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding what an NFLOG socket receives: netlink walk, NFULA attributes, IPv4/IPv6 and L4 headers. */
class NflogMessagesTest {

    private static final String PREFIX = "weir 1234abcd";

    /**
     * A message written out byte by byte from the uapi headers for a little-endian host, independent of the test
     * builder: an IPv4 TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80 logged in INPUT to group 7.
     */
    @Test
    void aHandWrittenTcpSynDecodesFieldByField() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the literal is written for little-endian");
        byte[] msg = HexFormat.of().parseHex(String.join("",
                "74000000" + "0004" + "0000" + "00000000" + "00000000", // nlmsghdr: len 116, NFULNL_MSG_PACKET
                "02000007", //                                       nfgenmsg: AF_INET, v0, group 7 (big-endian)
                "08000100" + "0800" + "01" + "00", //                  NFULA_PACKET_HDR: 0x0800, hook 1 (INPUT)
                "12000a00" + "7765697220313233346162636400" + "0000", // NFULA_PREFIX "weir 1234abcd\0", padded
                "08000400" + "00000003", //                            NFULA_IFINDEX_INDEV 3
                "08000200" + "00000042", //                            NFULA_MARK 0x42
                "08000c00" + "00000005", //                            NFULA_SEQ 5
                "2c000900", //                                         NFULA_PAYLOAD, 40 bytes:
                "4500003c00004000400600000a0000010a000002", //          IPv4 10.0.0.1 -> 10.0.0.2, TCP
                "9c40005000000000000000005002000000000000")); //        TCP 40000 -> 80, SYN

        NflogBatch batch = NflogMessages.parse(msg, msg.length);

        assertThat(batch.malformed()).isZero();
        assertThat(batch.packets()).singleElement().satisfies(p -> {
            assertThat(p.group()).isEqualTo(7);
            assertThat(p.prefix()).isEqualTo(PREFIX);
            assertThat(p.hook()).isEqualTo(1);
            assertThat(p.family()).isEqualTo(IpFamily.V4);
            assertThat(p.source()).isEqualTo(IpAddress.parse("10.0.0.1"));
            assertThat(p.destination()).isEqualTo(IpAddress.parse("10.0.0.2"));
            assertThat(p.protocol()).contains(Protocol.TCP);
            assertThat(p.protocolNumber()).isEqualTo(6);
            assertThat(p.sourcePort()).isEqualTo(40000);
            assertThat(p.destinationPort()).isEqualTo(80);
            assertThat(p.inInterface()).isEqualTo(3);
            assertThat(p.outInterface()).isZero();
            assertThat(p.mark()).isEqualTo(0x42);
            assertThat(p.sequence()).isEqualTo(5);
            assertThat(p.timestamp()).isEmpty();
            assertThat(p.icmpType()).isEqualTo(-1);
        });
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("ipv4 udp", Netlink.AF_INET, ipv4("10.1.2.3", "10.9.8.7", 17, ports(5353, 53, 4)),
                        "10.1.2.3", "10.9.8.7", 17, 5353, 53, -1, -1),
                Arguments.of("ipv4 sctp", Netlink.AF_INET, ipv4("10.1.2.3", "10.9.8.7", 132, ports(40001, 7777, 8)),
                        "10.1.2.3", "10.9.8.7", 132, 40001, 7777, -1, -1),
                Arguments.of("ipv4 with options", Netlink.AF_INET,
                        ipv4("10.1.2.3", "10.9.8.7", 6, 0, new byte[] {1, 1, 1, 0}, ports(1, 2, 16)),
                        "10.1.2.3", "10.9.8.7", 6, 1, 2, -1, -1),
                Arguments.of("ipv4 big tcp (total length 0)", Netlink.AF_INET,
                        withShort(ipv4("10.1.2.3", "10.9.8.7", 6, ports(443, 50000, 16)), 2, 0),
                        "10.1.2.3", "10.9.8.7", 6, 443, 50000, -1, -1),
                Arguments.of("ipv4 icmp echo", Netlink.AF_INET, ipv4("10.1.2.3", "10.9.8.7", 1, new byte[] {8, 0, 0, 0}),
                        "10.1.2.3", "10.9.8.7", 1, -1, -1, 8, 0),
                Arguments.of("ipv4 later fragment: no ports", Netlink.AF_INET,
                        ipv4("10.1.2.3", "10.9.8.7", 17, 0x0010, new byte[0], ports(9, 9, 4)),
                        "10.1.2.3", "10.9.8.7", 17, -1, -1, -1, -1),
                Arguments.of("ipv4 gre: no ports", Netlink.AF_INET, ipv4("10.1.2.3", "10.9.8.7", 47, new byte[8]),
                        "10.1.2.3", "10.9.8.7", 47, -1, -1, -1, -1),
                Arguments.of("ipv4 copy cut inside tcp", Netlink.AF_INET, ipv4("10.1.2.3", "10.9.8.7", 6, new byte[2]),
                        "10.1.2.3", "10.9.8.7", 6, -1, -1, -1, -1),
                Arguments.of("ipv6 tcp", Netlink.AF_INET6, ipv6("fd00::1", "fd00::2", 6, ports(40000, 8080, 16)),
                        "fd00::1", "fd00::2", 6, 40000, 8080, -1, -1),
                Arguments.of("ipv6 udp after hop-by-hop and destination options", Netlink.AF_INET6,
                        ipv6("fd00::1", "fd00::2", 0, concat(ext(60, 0), ext(17, 1), ports(546, 547, 4))),
                        "fd00::1", "fd00::2", 17, 546, 547, -1, -1),
                Arguments.of("ipv6 first fragment", Netlink.AF_INET6,
                        ipv6("fd00::1", "fd00::2", 44, concat(fragment(132, 0), ports(5000, 7777, 8))),
                        "fd00::1", "fd00::2", 132, 5000, 7777, -1, -1),
                Arguments.of("ipv6 later fragment", Netlink.AF_INET6,
                        ipv6("fd00::1", "fd00::2", 44, concat(fragment(17, 185), ports(1, 2, 4))),
                        "fd00::1", "fd00::2", 17, -1, -1, -1, -1),
                Arguments.of("ipv6 authentication header", Netlink.AF_INET6,
                        ipv6("fd00::1", "fd00::2", 51, concat(auth(6), ports(443, 8443, 16))),
                        "fd00::1", "fd00::2", 6, 443, 8443, -1, -1),
                Arguments.of("ipv6 esp: unknown beyond", Netlink.AF_INET6, ipv6("fd00::1", "fd00::2", 50, new byte[16]),
                        "fd00::1", "fd00::2", 50, -1, -1, -1, -1),
                Arguments.of("ipv6 copy cut inside the extension chain", Netlink.AF_INET6,
                        ipv6("fd00::1", "fd00::2", 0, concat(ext(43, 4), new byte[4])),
                        "fd00::1", "fd00::2", 43, -1, -1, -1, -1),
                Arguments.of("ipv6 icmpv6 neighbour solicitation", Netlink.AF_INET6,
                        ipv6("fe80::1", "ff02::1:ff00:2", 58, new byte[] {(byte) 135, 0, 0, 0}),
                        "fe80::1", "ff02::1:ff00:2", 58, -1, -1, 135, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void headersDecodeToAddressesProtocolAndPorts(String name, int family, byte[] payload, String src, String dst,
            int protocol, int sport, int dport, int icmpType, int icmpCode) {
        byte[] d = new Datagrams().packet(Datagrams.Packet.of(family, 7, 2, PREFIX, payload)).bytes();

        NflogBatch batch = NflogMessages.parse(d, d.length);

        assertThat(batch.malformed()).as("malformed").isZero();
        NflogPacket p = batch.packets().get(0);
        assertThat(p.source()).isEqualTo(IpAddress.parse(src));
        assertThat(p.destination()).isEqualTo(IpAddress.parse(dst));
        assertThat(List.of(p.protocolNumber(), p.sourcePort(), p.destinationPort(), p.icmpType(), p.icmpCode()))
                .containsExactly(protocol, sport, dport, icmpType, icmpCode);
    }

    @Test
    void aBatchOfSeveralPacketsEndsAtDoneAndKeepsTheKernelsOrder() {
        Datagrams d = new Datagrams();
        for (int i = 0; i < 5; i++) {
            d.message(Netlink.NFULNL_MSG_PACKET, 2, 0, Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX + i,
                    ipv4("10.0.0.1", "10.0.0.2", 17, ports(1000 + i, 53, 4))).u32(Netlink.NFULA_SEQ, i).body());
        }
        d.done();
        byte[] afterDone = new Datagrams().packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, "after",
                ipv4("10.0.0.1", "10.0.0.2", 17, ports(1, 2, 4)))).bytes();
        byte[] all = concat(d.bytes(), afterDone);

        NflogBatch batch = NflogMessages.parse(all, all.length);

        assertThat(batch.packets()).extracting(NflogPacket::prefix)
                .containsExactly(PREFIX + 0, PREFIX + 1, PREFIX + 2, PREFIX + 3, PREFIX + 4);
        assertThat(batch.packets()).extracting(NflogPacket::sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(batch.malformed()).isZero();
    }

    @Test
    void everyOptionalAttributeIsRead() {
        ByteBuffer ts = ByteBuffer.allocate(16).putLong(1_700_000_000L).putLong(250_000);
        byte[] d = new Datagrams().packet(Datagrams.Packet.of(Netlink.AF_INET6, 65535, 2, "", ipv6("fd00::1",
                        "fd00::2", 17, ports(1, 2, 4)))
                .u32(Netlink.NFULA_IFINDEX_INDEV, 11).u32(Netlink.NFULA_IFINDEX_OUTDEV, 12)
                .u32(Netlink.NFULA_IFINDEX_PHYSINDEV, 13).u32(Netlink.NFULA_IFINDEX_PHYSOUTDEV, 14)
                .u32(Netlink.NFULA_MARK, 0xf0000001).u32(Netlink.NFULA_SEQ, 0xfffffffe)
                .attr(Netlink.NFULA_TIMESTAMP, ts.array())
                .attr(8, new byte[12]) //                      NFULA_HWADDR: ignored
                .attr(20 | 0x8000, new byte[8])) //            a nested attribute (NFULA_VLAN): masked, ignored
                .bytes();

        NflogPacket p = NflogMessages.parse(d, d.length).packets().get(0);

        assertThat(p.group()).isEqualTo(65535);
        assertThat(p.prefix()).isEmpty();
        assertThat(List.of(p.inInterface(), p.outInterface(), p.physInInterface(), p.physOutInterface()))
                .containsExactly(11, 12, 13, 14);
        assertThat(p.mark()).isEqualTo(0xf0000001);
        assertThat(p.sequence()).isEqualTo(0xfffffffeL);
        assertThat(p.timestamp()).contains(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
    }

    @Test
    void acksReachTheSinkAndAreNotPackets() {
        byte[] d = new Datagrams().ack(41, 0).ack(42, 1).bytes();
        List<int[]> acks = new ArrayList<>();

        NflogBatch batch = NflogMessages.parse(d, d.length, (seq, errno) -> acks.add(new int[] {seq, errno}));

        assertThat(batch).isEqualTo(NflogBatch.EMPTY);
        assertThat(acks).containsExactly(new int[] {41, 0}, new int[] {42, 1});
    }

    static Stream<Arguments> malformed() {
        byte[] udp = ipv4("10.0.0.1", "10.0.0.2", 17, ports(1, 2, 4));
        return Stream.of(
                Arguments.of("unknown family (bridge)", Datagrams.Packet.of(7, 7, 1, PREFIX, udp)),
                Arguments.of("no payload", new Datagrams.Packet(Netlink.AF_INET, 7)
                        .attr(Netlink.NFULA_PACKET_HDR, new byte[] {8, 0, 1, 0}).prefix(PREFIX)),
                Arguments.of("no packet header", new Datagrams.Packet(Netlink.AF_INET, 7)
                        .prefix(PREFIX).attr(Netlink.NFULA_PAYLOAD, udp)),
                Arguments.of("ipv6 payload in an ipv4 message", Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                        ipv6("fd00::1", "fd00::2", 17, ports(1, 2, 4)))),
                Arguments.of("payload shorter than an ipv4 header", Datagrams.Packet.of(Netlink.AF_INET, 7, 1,
                        PREFIX, java.util.Arrays.copyOf(udp, 19))),
                Arguments.of("ihl past the payload", Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                        withByte(udp, 0, 0x4f))),
                Arguments.of("ihl below 5", Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX, withByte(udp, 0, 0x44))),
                Arguments.of("mark of 2 bytes", Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX, udp)
                        .attr(Netlink.NFULA_MARK, new byte[2])),
                Arguments.of("timestamp of 8 bytes", Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX, udp)
                        .attr(Netlink.NFULA_TIMESTAMP, new byte[8])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedPacketIsCountedAndTheNextOneStillDecodes(String name, Datagrams.Packet bad) {
        Datagrams.Packet good = Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                ipv4("10.0.0.1", "10.0.0.2", 6, ports(1234, 80, 16)));
        byte[] d = new Datagrams().packet(bad).packet(good).bytes();

        NflogBatch batch = NflogMessages.parse(d, d.length);

        assertThat(batch.malformed()).isEqualTo(1);
        assertThat(batch.packets()).extracting(NflogPacket::destinationPort).containsExactly(80);
    }

    @Test
    void anAttributeRunningPastItsMessageMakesTheMessageMalformed() {
        byte[] d = new Datagrams().packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                ipv4("10.0.0.1", "10.0.0.2", 6, ports(1234, 80, 16)))).bytes();
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putShort(20, (short) 400); // the packet header attribute

        assertThat(NflogMessages.parse(d, d.length)).isEqualTo(new NflogBatch(List.of(), 1, false));
    }

    @Test
    void aMessageLengthPastTheDatagramEndsTheWalkAndCountsOnce() {
        byte[] one = new Datagrams().packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                ipv4("10.0.0.1", "10.0.0.2", 6, ports(1234, 80, 16)))).bytes();
        byte[] d = concat(one, one);
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(one.length, 10_000);

        NflogBatch batch = NflogMessages.parse(d, d.length);

        assertThat(batch.packets()).hasSize(1);
        assertThat(batch.malformed()).isEqualTo(1);
    }

    @Test
    void aTruncatedDatagramAndAnEmptyOneAreHandled() {
        byte[] d = new Datagrams().packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, PREFIX,
                ipv4("10.0.0.1", "10.0.0.2", 6, ports(1234, 80, 16)))).bytes();

        assertThat(NflogMessages.parse(d, d.length - 1).malformed()).isEqualTo(1);
        assertThat(NflogMessages.parse(d, 10).malformed()).isEqualTo(1);
        assertThat(NflogMessages.parse(d, 0)).isEqualTo(NflogBatch.EMPTY);
        assertThat(NflogMessages.parse(d, -5)).isEqualTo(NflogBatch.EMPTY);
        assertThat(NflogMessages.parse(d, d.length + 100).packets()).hasSize(1);
        assertThat(NflogMessages.parse(null, 10)).isEqualTo(NflogBatch.EMPTY);
    }

    @Test
    void aPrefixWithoutItsNulEndsAtTheAttributeAndBadUtf8IsReplaced() {
        byte[] udp = ipv4("10.0.0.1", "10.0.0.2", 17, ports(1, 2, 4));
        Datagrams.Packet p = new Datagrams.Packet(Netlink.AF_INET, 7)
                .attr(Netlink.NFULA_PACKET_HDR, new byte[] {8, 0, 1, 0})
                .attr(Netlink.NFULA_PREFIX, new byte[] {'w', (byte) 0xff, 'r'})
                .attr(Netlink.NFULA_PAYLOAD, udp);
        byte[] d = new Datagrams().packet(p).bytes();

        assertThat(NflogMessages.parse(d, d.length).packets()).extracting(NflogPacket::prefix)
                .containsExactly("w\ufffdr");
    }

    @Test
    void theProtocolIsNamedOnlyForThoseAPolicyCanName() {
        byte[] d = new Datagrams()
                .packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, "", ipv4("10.0.0.1", "10.0.0.2", 132,
                        ports(1, 2, 8))))
                .packet(Datagrams.Packet.of(Netlink.AF_INET, 7, 1, "", ipv4("10.0.0.1", "10.0.0.2", 136,
                        ports(1, 2, 4))))
                .bytes();

        List<NflogPacket> packets = NflogMessages.parse(d, d.length).packets();

        assertThat(packets).extracting(NflogPacket::protocol)
                .containsExactly(Optional.of(Protocol.SCTP), Optional.empty());
        assertThat(packets.get(1).hasPorts()).as("UDP-Lite still has ports").isTrue();
    }

    /** An IPv6 extension header of {@code 8 * (units + 1)} bytes whose next header is {@code next}. */
    static byte[] ext(int next, int units) {
        byte[] b = new byte[8 * (units + 1)];
        b[0] = (byte) next;
        b[1] = (byte) units;
        return b;
    }

    static byte[] fragment(int next, int offsetUnits) {
        return ByteBuffer.allocate(8).put((byte) next).put((byte) 0).putShort((short) (offsetUnits << 3))
                .putInt(0x1234).array();
    }

    /** An authentication header of 24 bytes (payload length 4: in 4-byte units, minus 2). */
    static byte[] auth(int next) {
        byte[] b = new byte[24];
        b[0] = (byte) next;
        b[1] = 4;
        return b;
    }

    static byte[] withShort(byte[] b, int index, int value) {
        return withByte(withByte(b, index, value >> 8), index + 1, value);
    }

    static byte[] withByte(byte[] b, int index, int value) {
        byte[] c = b.clone();
        c[index] = (byte) value;
        return c;
    }
}
