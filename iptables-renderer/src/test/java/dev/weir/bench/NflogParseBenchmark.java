package dev.weir.bench;

import dev.weir.iptables.nflog.NflogBatch;
import dev.weir.iptables.nflog.NflogMessages;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Java side of reading the log alone: {@link NflogMessages#parse} of one logged TCP SYN (116 bytes, as the kernel
 * sends it without batching) and of a batch of 32. Little-endian hosts only (the datagram is a literal).
 *
 * <pre>java -cp ... org.openjdk.jmh.Main NflogParseBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NflogParseBenchmark {

    /** The message of NflogMessagesTest#aHandWrittenTcpSynDecodesFieldByField. */
    private static final String SYN = "740000000004000000000000000000000200000708000100080001001200"
            + "0a0077656972203132333461626364000000080004000000000308000200000000420800"
            + "0c00000000052c0009004500003c00004000400600000a0000010a0000029c4000500000"
            + "0000000000005002000000000000";

    private byte[] one;
    private byte[] batch;

    @Setup
    public void setUp() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the datagram literal is little-endian");
        }
        one = HexFormat.of().parseHex(SYN);
        batch = new byte[one.length * 32];
        for (int i = 0; i < 32; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        if (NflogMessages.parse(batch, batch.length).packets().size() != 32) {
            throw new IllegalStateException("the literal does not parse");
        }
    }

    @Benchmark
    public NflogBatch onePacket() {
        return NflogMessages.parse(one, one.length);
    }

    @Benchmark
    public NflogBatch batchOf32() {
        return NflogMessages.parse(batch, batch.length);
    }
}
