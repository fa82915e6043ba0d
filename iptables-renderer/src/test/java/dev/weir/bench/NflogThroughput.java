package dev.weir.bench;

import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.sys.NetworkNamespace;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * How many logged packets per second an {@link NflogReader} takes in (root only; a throwaway namespace
 * {@code wnf-bench-*}). Inside it, {@code -i lo -p udp --dport 9 -j NFLOG --nflog-group 7} then DROP in INPUT, and a
 * sender thread writing 64-byte UDP datagrams to 127.0.0.1:9, either as fast as it can or paced to a rate; the reader
 * counts what it received and, by sequence gaps, what the kernel dropped because the reader fell behind. Each case runs
 * with the kernel's batching (one packet per netlink message) and with a queue threshold of 32 (flush after 10 ms).
 * Prints one markdown row per case, for docs/benchmarks.md.
 *
 * <pre>java -cp iptables-renderer/target/test-classes:iptables-renderer/target/classes:&lt;test classpath&gt; \
 *     dev.weir.bench.NflogThroughput [seconds per case, default 5] [paced rates per second, default 20000,50000]</pre>
 */
public final class NflogThroughput {

    private static final int PORT = 9;

    private NflogThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 1 ? args[1] : "20000,50000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        rates.add(0); // 0: unpaced
        String name = "wnf-bench-" + Long.toHexString(System.nanoTime() & 0xffffff);
        NamespaceCommandRunner host = NamespaceCommandRunner.host();
        host.run(List.of("ip", "netns", "add", name)).orThrow();
        try (NetworkNamespace ns = NetworkNamespace.named(name);
                NamespaceCommandRunner runner = new NamespaceCommandRunner(ns)) {
            runner.run(List.of("ip", "link", "set", "lo", "up")).orThrow();
            runner.run(List.of("iptables-nft", "-w", "-A", "INPUT", "-i", "lo", "-p", "udp", "--dport",
                    String.valueOf(PORT), "-j", "NFLOG", "--nflog-group", "7", "--nflog-prefix", "weir 1234abcd"))
                    .orThrow();
            runner.run(List.of("iptables-nft", "-w", "-A", "INPUT", "-i", "lo", "-p", "udp", "--dport",
                    String.valueOf(PORT), "-j", "DROP")).orThrow();
            System.out.println("| batching | offered rate | sent/s | received/s | lost | overruns |");
            System.out.println("|---|---|---|---|---|---|");
            for (int threshold : new int[] {1, 32}) {
                for (int rate : rates) {
                    System.out.println(run(ns, threshold, rate, seconds));
                }
            }
        } finally {
            host.run(List.of("ip", "netns", "del", name));
        }
    }

    private static String run(NetworkNamespace ns, int threshold, int rate, int seconds) throws Exception {
        NflogConfig config = NflogConfig.of(7);
        if (threshold > 1) {
            config = config.withBatching(threshold, Duration.ofMillis(10));
        }
        LongAdder consumed = new LongAdder();
        NflogConfig c = config;
        try (NflogReader reader = ns.call(() -> NflogReader.start(c, p -> consumed.increment()))) {
            while (reader.status().state() != NflogReader.State.BOUND) {
                Thread.sleep(10);
            }
            long sent = 0;
            if (rate > 0) {
                sent = ns.call(() -> send(rate, Duration.ofSeconds(seconds)));
            } else {
                // unpaced: as many senders as cores, so the reader (not one sender's loop) is what gives out first
                int senders = Runtime.getRuntime().availableProcessors();
                List<Future<Long>> running = new ArrayList<>();
                ThreadPoolExecutor pool = ns.call(() -> {
                    // threads started inside share the namespace; a fixed pool keeps them for every task
                    ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(senders);
                    p.prestartAllCoreThreads();
                    return p;
                });
                try {
                    for (int i = 0; i < senders; i++) {
                        running.add(pool.submit(() -> send(0, Duration.ofSeconds(seconds))));
                    }
                    for (Future<Long> f : running) {
                        sent += f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            Thread.sleep(300); // the last batch's flush timeout and the reader's drain
            NflogReader.Status s = reader.status();
            return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d (%.1f %%) | %d |",
                    threshold == 1 ? "kernel default (1 per message)" : "qthreshold " + threshold,
                    rate == 0 ? "unpaced, " + Runtime.getRuntime().availableProcessors() + " senders"
                            : String.format(Locale.ROOT, "%,d/s", rate), sent / seconds,
                    s.received() / seconds, s.lost(), 100.0 * s.lost() / Math.max(1, sent), s.overruns());
        }
    }

    /** Sends for {@code duration}, {@code rate} per second (0: as fast as the loop goes); returns how many. */
    private static long send(int rate, Duration duration) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress("127.0.0.1", PORT));
            ByteBuffer payload = ByteBuffer.allocateDirect(64);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long sent = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    return sent;
                }
                if (rate > 0 && sent >= (now - start) * rate / 1_000_000_000L) {
                    LockSupport.parkNanos(50_000); // ahead of the rate: leave the CPU to the kernel and the reader
                    continue;
                }
                payload.clear();
                ch.write(payload);
                sent++;
            }
        }
    }
}
