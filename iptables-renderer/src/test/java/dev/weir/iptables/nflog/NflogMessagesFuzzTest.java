package dev.weir.iptables.nflog;

import static dev.weir.iptables.nflog.Datagrams.concat;
import static dev.weir.iptables.nflog.Datagrams.ipv4;
import static dev.weir.iptables.nflog.Datagrams.ipv6;
import static dev.weir.iptables.nflog.Datagrams.ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser is total: 100,000 random datagrams and mutations of valid ones (bit flips, truncations, lengths and
 * types rewritten, bytes spliced in) never make it throw, and whatever it returns is a well-formed batch. Seeded, so
 * a failure names the input that caused it.
 */
class NflogMessagesFuzzTest {

    private static final int ITERATIONS = 100_000;

    private static final List<byte[]> VALID = List.of(
            message(Netlink.AF_INET, ipv4("10.0.0.1", "10.0.0.2", 6, ports(40000, 80, 16))),
            message(Netlink.AF_INET, ipv4("10.0.0.1", "10.0.0.2", 1, new byte[] {8, 0, 0, 0})),
            message(Netlink.AF_INET6, ipv6("fd00::1", "fd00::2", 0, concat(NflogMessagesTest.ext(44, 0),
                    NflogMessagesTest.fragment(17, 0), ports(1, 2, 4)))),
            message(Netlink.AF_INET6, ipv6("fd00::1", "fd00::2", 132, ports(5, 6, 8))),
            concat(message(Netlink.AF_INET, ipv4("10.0.0.1", "10.0.0.2", 17, ports(1, 2, 4))),
                    new Datagrams().ack(3, 0).done().bytes()));

    private static byte[] message(int family, byte[] payload) {
        ByteBuffer ts = ByteBuffer.allocate(16).putLong(1_700_000_000L).putLong(1);
        return new Datagrams().packet(Datagrams.Packet.of(family, 7, 1, "weir 1234abcd", payload)
                .u32(Netlink.NFULA_IFINDEX_INDEV, 2).u32(Netlink.NFULA_MARK, 9).u32(Netlink.NFULA_SEQ, 1)
                .attr(Netlink.NFULA_TIMESTAMP, ts.array())).bytes();
    }

    @Test
    void noInputMakesTheParserThrow() {
        Random random = new Random(20261128L);
        int packets = 0;
        int malformed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = i % 4 == 0 ? randomBytes(random) : mutate(VALID.get(random.nextInt(VALID.size())), random);
            int len = random.nextInt(8) == 0 ? random.nextInt(input.length + 40) - 20 : input.length;
            NflogBatch batch;
            try {
                batch = NflogMessages.parse(input, len);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("iteration " + i + ", len " + len + ": "
                        + HexFormat.of().formatHex(input), e);
            }
            if (batch == null || batch.malformed() < 0 || batch.overrun()) {
                fail("iteration %d: bad batch %s", i, batch);
            }
            packets += batch.packets().size();
            malformed += batch.malformed();
        }
        // the mutations keep some messages intact and break others: both paths ran
        assertThat(packets).isGreaterThan(ITERATIONS / 10);
        assertThat(malformed).isGreaterThan(ITERATIONS / 10);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        if (b.length >= 16 && random.nextBoolean()) {
            // a plausible header so the walk goes past the first check
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
            h.putInt(0, random.nextInt(b.length + 1)).putShort(4, (short) Netlink.NFULNL_MSG_PACKET);
        }
        return b;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(6)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 2 -> {
                    if (b.length >= 2) { // rewrite a 16-bit field: attribute lengths and types live at even offsets
                        int at = random.nextInt(b.length - 1) & ~1;
                        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putShort(at, (short) random.nextInt(1 << 16));
                    }
                }
                case 3 -> {
                    if (b.length >= 4) {
                        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(0, random.nextInt(b.length * 2 + 1));
                    }
                }
                case 4 -> {
                    byte[] junk = new byte[random.nextInt(12)];
                    random.nextBytes(junk);
                    int at = random.nextInt(b.length + 1);
                    b = concat(java.util.Arrays.copyOf(b, at), junk, java.util.Arrays.copyOfRange(b, at, b.length));
                }
                default -> {
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }
}
