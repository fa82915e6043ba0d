package dev.weir.iptables.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SctpInitTest {

    private static byte[] ipv4(byte[] sctp, int protocol) {
        byte[] p = new byte[20 + sctp.length];
        p[0] = 0x45;
        p[9] = (byte) protocol;
        System.arraycopy(sctp, 0, p, 20, sctp.length);
        return p;
    }

    @Test
    void theChecksumIsCrc32cAsRfc3720sTestVectorGivesIt() {
        // RFC 3720 B.4: 32 bytes of zeros -> CRC32c 0x8a9136aa; the checksum field (8-11) is zero there anyway
        assertThat(SctpInit.checksum(new byte[32], 0, 32)).isEqualTo(0x8a9136aa);
    }

    @Test
    void anInitIsACommonHeaderWithTagZeroAndOneInitChunkChecksummedLittleEndian() {
        byte[] p = new SctpInit(40000, 7777, 0x01020304).encode();

        String hex = HexFormat.of().formatHex(p);
        assertThat(hex.substring(0, 16)).isEqualTo("9c401e6100000000"); // ports, verification tag 0
        assertThat(hex.substring(24)).isEqualTo("010000140102030400010000000100010102030" + "4");
        byte[] zeroed = p.clone();
        zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
        int crc = SctpInit.checksum(zeroed, 0, zeroed.length);
        assertThat(new byte[] {p[8], p[9], p[10], p[11]})
                .containsExactly((byte) crc, (byte) (crc >> 8), (byte) (crc >> 16), (byte) (crc >> 24));
    }

    @Test
    void anEncodedInitIsReadBackFromTheIpPacketARawSocketReceives() {
        SctpInit init = new SctpInit(40000, 7777, -5);

        assertThat(SctpInit.fromIpv4(ipv4(init.encode(), 132), 52)).contains(init);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"a flipped payload bit, 30", "a flipped checksum bit, 9", "another protocol, -1", "too short, -2"})
    void anythingButAnIntactInitIsIgnored(String what, int damage) {
        byte[] sctp = new SctpInit(40000, 7777, 99).encode();
        int protocol = damage == -1 ? 6 : 132;
        int len = damage == -2 ? 40 : 52;
        if (damage >= 0) {
            sctp[damage] ^= 1;
        }

        assertThat(SctpInit.fromIpv4(ipv4(sctp, protocol), len)).as(what).isEmpty();
    }

    @Test
    void anInitNeedsANonZeroTag() {
        assertThatThrownBy(() -> new SctpInit(1, 2, 0)).hasMessageContaining("initiate tag");
    }
}
