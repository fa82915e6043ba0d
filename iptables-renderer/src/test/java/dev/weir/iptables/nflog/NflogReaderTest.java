package dev.weir.iptables.nflog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader's loop over a scripted source: delivery, counters, retries with backoff, close. */
class NflogReaderTest {

    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(80));

    private final TestingNflogSource source = new TestingNflogSource();
    private final List<NflogPacket> delivered = new CopyOnWriteArrayList<>();
    private NflogReader reader;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
    }

    private static NflogPacket packet(int sourcePort, long seq) {
        IpAddress a = IpAddress.parse("10.0.0.1");
        IpAddress b = IpAddress.parse("10.0.0.2");
        return new NflogPacket(7, "weir 1234abcd", 1, IpFamily.V4, a, b, 6, sourcePort, 80, -1, -1, 2, 0, 0, 0, 0,
                seq, Optional.empty());
    }

    @Test
    void packetsReachTheConsumerInOrderAndAreCounted() throws Exception {
        reader = NflogReader.start(7, source.opener(), delivered::add, QUICK);
        source.offer(new NflogBatch(List.of(packet(1, 0), packet(2, 1)), 0, false));
        source.offer(new NflogBatch(List.of(packet(3, 2)), 2, false));

        await(() -> delivered.size() == 3);

        assertThat(delivered).extracting(NflogPacket::sourcePort).containsExactly(1, 2, 3);
        NflogReader.Status s = reader.status();
        assertThat(s.state()).isEqualTo(NflogReader.State.BOUND);
        assertThat(List.of(s.received(), s.malformed(), s.overruns(), s.lost())).containsExactly(3L, 2L, 0L, 0L);
        assertThat(s.lastError()).isEmpty();
    }

    @Test
    void anOverrunIsCountedAndTheGapInSequenceNumbersCountsTheLostPackets() throws Exception {
        reader = NflogReader.start(7, source.opener(), delivered::add, QUICK);
        source.offer(new NflogBatch(List.of(packet(1, 0)), 0, false));
        source.offer(NflogBatch.OVERRUN);
        source.offer(new NflogBatch(List.of(packet(2, 5)), 0, false));

        await(() -> delivered.size() == 2);

        assertThat(reader.status().overruns()).isEqualTo(1);
        assertThat(reader.status().lost()).as("sequence 1-4 never came").isEqualTo(4);
        assertThat(reader.status().state()).isEqualTo(NflogReader.State.BOUND);
    }

    @Test
    void aBusyGroupIsRetriedWithBackoffUntilItFrees() throws Exception {
        source.busy = true;
        reader = NflogReader.start(7, source.opener(), delivered::add, QUICK);

        await(() -> reader.status().bindFailures() >= 3);
        NflogReader.Status retrying = reader.status();
        assertThat(retrying.state()).isEqualTo(NflogReader.State.RETRYING);
        assertThat(retrying.lastError()).contains("cannot bind: NFLOG group 7 is already bound by another netlink "
                + "socket (port id 1234)");

        source.busy = false;
        await(() -> reader.status().state() == NflogReader.State.BOUND);
        source.offer(new NflogBatch(List.of(packet(1, 0)), 0, false));
        await(() -> delivered.size() == 1);
        assertThat(reader.status().bindFailures()).isZero();
        assertThat(reader.status().lastError()).as("kept after the recovery").isPresent();
    }

    @Test
    void aBrokenSocketIsClosedAndReopened() throws Exception {
        reader = NflogReader.start(7, source.opener(), delivered::add, QUICK);
        await(() -> source.opens.get() == 1);
        source.offer(TestingNflogSource.BREAK);
        source.offer(new NflogBatch(List.of(packet(9, 0)), 0, false));

        await(() -> delivered.size() == 1);

        assertThat(source.opens.get()).isEqualTo(2);
        assertThat(source.closes.get()).isEqualTo(1);
        assertThat(reader.status().lastError()).contains("reading failed: receiving from NFLOG group 7: Bad file "
                + "descriptor (errno 9)");
    }

    @Test
    void aConsumerThatThrowsIsCountedAndReadingGoesOn() throws Exception {
        reader = NflogReader.start(7, source.opener(), p -> {
            if (p.sourcePort() == 1) {
                throw new IllegalStateException("record sink full");
            }
            delivered.add(p);
        }, QUICK);
        source.offer(new NflogBatch(List.of(packet(1, 0), packet(2, 1)), 0, false));

        await(() -> delivered.size() == 1);

        assertThat(reader.status().consumerFailures()).isEqualTo(1);
        assertThat(reader.status().received()).isEqualTo(2);
        assertThat(reader.status().state()).isEqualTo(NflogReader.State.BOUND);
    }

    @Test
    void closeEndsTheThreadAndClosesTheSourceEvenWhileWaitingToRetry() throws Exception {
        reader = NflogReader.start(7, source.opener(), delivered::add, QUICK);
        await(() -> source.opens.get() == 1);
        reader.close();
        assertThat(reader.status().state()).isEqualTo(NflogReader.State.CLOSED);
        assertThat(source.closes.get()).isEqualTo(1);

        source.busy = true;
        NflogReader waiting = NflogReader.start(7, source.opener(), delivered::add, Backoff.DEFAULT);
        await(() -> waiting.status().state() == NflogReader.State.RETRYING);
        long start = System.nanoTime();
        waiting.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 1 s backoff")
                .isLessThan(Duration.ofMillis(500));
        assertThat(waiting.status().state()).isEqualTo(NflogReader.State.CLOSED);
    }

    @Test
    void aConsumerMayCloseTheReader() throws Exception {
        NflogReader[] self = new NflogReader[1];
        reader = NflogReader.start(7, source.opener(), p -> self[0].close(), QUICK);
        self[0] = reader;
        source.offer(new NflogBatch(List.of(packet(1, 0)), 0, false));

        await(() -> reader.status().state() == NflogReader.State.CLOSED);
        assertThat(source.closes.get()).isEqualTo(1);
    }

    @Test
    void sequenceGapsWrapAt32Bits() {
        assertThat(NflogReader.gap(5, 5)).isZero();
        assertThat(NflogReader.gap(5, 9)).isEqualTo(4);
        assertThat(NflogReader.gap(0xfffffffeL, 1)).isEqualTo(3);
        assertThat(NflogReader.gap(9, 5)).as("behind: not a loss").isZero();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
