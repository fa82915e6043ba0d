package dev.weir.iptables.nflog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What the socket sends and how it reads the kernel's answers, without a kernel; the rest is NflogKernelTest. */
class NflogSocketTest {

    @Test
    void theBindRequestCarriesBindCopyModeSequenceFlagAndBatchingInOneMessage() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the literal is written for little-endian");
        NflogConfig config = NflogConfig.of(7).withBatching(16, Duration.ofMillis(250));

        String hex = HexFormat.of().formatHex(NflogRequests.bind(config, 3));

        assertThat(hex).isEqualTo(String.join("",
                "40000000" + "0104" + "0500" + "03000000" + "00000000", // len 64, NFULNL_MSG_CONFIG, REQUEST|ACK, seq 3
                "00000007", //                                          AF_UNSPEC, v0, group 7
                "05000100" + "01" + "000000", //                         NFULA_CFG_CMD BIND, padded
                "0a000200" + "00000080" + "02" + "00" + "0000", //       NFULA_CFG_MODE range 128, COPY_PACKET, padded
                "06000600" + "0001" + "0000", //                         NFULA_CFG_FLAGS SEQ, padded
                "08000400" + "00000019", //                              NFULA_CFG_TIMEOUT 25 (1/100 s)
                "08000500" + "00000010")); //                            NFULA_CFG_QTHRESH 16
    }

    @Test
    void withTheKernelsBatchingTheRequestLeavesTimeoutAndThresholdOut() {
        assertThat(NflogRequests.bind(NflogConfig.of(7), 1)).hasSize(48);
    }

    @Test
    void aFamilyCommandNamesTheFamilyAndNoGroup() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the literal is written for little-endian");
        assertThat(HexFormat.of().formatHex(NflogRequests.familyCommand(Netlink.NFULNL_CFG_CMD_PF_UNBIND, 10, 1)))
                .isEqualTo("1c000000" + "0104" + "0500" + "01000000" + "00000000" + "0a000000" + "05000100"
                        + "04000000");
    }

    @Test
    void theHolderOfAGroupIsReadFromTheKernelsInstanceList() {
        String proc = "    7 3264318475     0 2   128    100  1\n"
                + "   70   4242     0 2 65531    100  1\n";

        assertThat(NflogSocket.holderOf(proc, 7)).isEqualTo(3264318475L);
        assertThat(NflogSocket.holderOf(proc, 70)).isEqualTo(4242);
        assertThat(NflogSocket.holderOf(proc, 0)).isZero();
        assertThat(NflogSocket.holderOf("", 7)).isZero();
    }

    @Test
    void onlyKernelsBefore317NeedTheFamilyBind() {
        assertThat(NflogSocket.familyBindNeeded("3.10.0-1160.el7.x86_64")).isTrue();
        assertThat(NflogSocket.familyBindNeeded("2.6.32-754.el6.x86_64")).isTrue();
        assertThat(NflogSocket.familyBindNeeded("3.17.0")).isFalse();
        assertThat(NflogSocket.familyBindNeeded("6.18.44-fc-v1272\n")).isFalse();
        assertThat(NflogSocket.familyBindNeeded("unknown")).isFalse();
    }

    @Test
    void backoffDoublesFromOneSecondToThirty() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(Backoff.DEFAULT::delay)
                .map(Duration::toSeconds)).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
        assertThat(Backoff.DEFAULT.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aConfigOutOfRangeIsRefusedByName() {
        assertThatThrownBy(() -> NflogConfig.of(65536)).hasMessageContaining("NFLOG group 65536");
        assertThatThrownBy(() -> NflogConfig.of(-1)).hasMessageContaining("NFLOG group -1");
        assertThatThrownBy(() -> new NflogConfig(1, 20, null, 0, 1 << 20, Duration.ofMillis(100),
                NflogConfig.FamilyBind.AUTO)).hasMessageContaining("copy range 20");
    }
}
