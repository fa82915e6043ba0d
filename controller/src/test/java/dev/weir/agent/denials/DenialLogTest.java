package dev.weir.agent.denials;

import static dev.weir.agent.denials.DenialRecorderTest.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.DenialLogSettings;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.nflog.Backoff;
import dev.weir.iptables.nflog.NflogBatch;
import dev.weir.iptables.nflog.NflogException;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.nflog.NflogSource;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log with its threads: a scripted NFLOG source, real clocks, a sink that keeps the lines. */
class DenialLogTest {

    private static final String DENY_WEB = "weir:0a1b2c3d";
    private static final Decision WEB_DEFAULT_DENY = Decision.defaultDeny(PolicyType.INGRESS,
            List.of(ObjectKey.networkPolicy("dev", "web-from-db")));
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(50));

    private final AgentMetrics metrics = new AgentMetrics();
    private final ScriptedSource source = new ScriptedSource();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private DenialLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** A group whose batches the test offers; {@code busy} refuses binds as another holder would. */
    private static final class ScriptedSource implements DeniedPacketSource {
        final BlockingQueue<NflogBatch> batches = new LinkedBlockingQueue<>();
        volatile boolean busy;

        @Override
        public NflogReader start(int group, java.util.function.Consumer<NflogPacket> consumer) {
            return NflogReader.start(group, () -> {
                if (busy) {
                    throw new NflogException("NFLOG group " + group + " is already bound by another netlink socket "
                            + "(port id 4242)", 1);
                }
                return new NflogSource() {
                    @Override
                    public NflogBatch receive() {
                        try {
                            NflogBatch b = batches.poll(50, TimeUnit.MILLISECONDS);
                            return b == null ? NflogBatch.EMPTY : b;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return NflogBatch.EMPTY;
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }, consumer, QUICK);
        }
    }

    private DenialLog start(DenialLogSettings settings, DenialSink sink) {
        DenialLog started = DenialLog.start("n1", settings, source, sink, metrics, System::nanoTime,
                Clock.systemUTC());
        started.applied(graph(), DenialRecorderTest.ruleset(Map.of(DENY_WEB, WEB_DEFAULT_DENY)));
        return started;
    }

    private DenialLog start() {
        return start(DenialLogSettings.defaults(), lines::addAll);
    }

    private static PolicyGraph graph() {
        return PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev"))),
                List.of(new Endpoint("dev", "web", Map.of(), List.of(IpAddress.parse("10.0.0.1")), "n1", false,
                        PodPhase.RUNNING, List.of())),
                List.of()));
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aFlowsFirstPacketIsWrittenWithinASecondAndItsNextOnesAggregated() throws Exception {
        log = start();
        source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 0, false));

        await(() -> !lines.isEmpty(), Duration.ofSeconds(1)); // a flush every 250 ms: ~300 ms unless the machine lags

        assertThat(lines).singleElement().asString().contains("\"dst\":{\"ip\":\"10.0.0.1\",\"pod\":\"dev/web\"}",
                "\"cause\":\"default-deny\"").endsWith("\"count\":1}");

        for (int i = 0; i < 5; i++) {
            source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 0, false));
        }
        await(() -> lines.size() == 2, Duration.ofSeconds(2));
        assertThat(lines.get(1)).endsWith("\"count\":5}");
        assertThat(metrics.denialRecords.get()).isEqualTo(2);
    }

    @Test
    void theReadersStateAndCountersAreMetricsAndAForeignPrefixNeverReachesTheReaderAsAFailure() throws Exception {
        log = start();
        source.batches.add(new NflogBatch(List.of(tcp("ulogd", "10.0.0.2", "10.0.0.1", 80),
                tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 2, false));

        await(() -> log.readerStatus().orElseThrow().received() == 2, Duration.ofSeconds(2));

        assertThat(scrape()).contains("weir_denial_log_reader_state{state=\"bound\"} 1.0",
                "weir_denial_log_reader_state{state=\"retrying\"} 0.0",
                "weir_denial_log_packets_received_total 2.0", "weir_denial_log_malformed_total 2.0",
                "weir_denial_log_lost_packets_total 0.0", "weir_denial_log_overruns_total 0.0",
                "weir_denial_log_unmapped_total{reason=\"not-weir\"} 1.0",
                "weir_denied_packets_total{direction=\"ingress\",namespace=\"dev\",policy=\"dev/web-from-db\"} 1.0");
        assertThat(log.readerStatus().orElseThrow().consumerFailures()).isZero();
    }

    @Test
    void aBusyGroupIsAClearErrorNamingTheNodeAndIsRetriedUntilItBinds() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the test log config writes to stdout
        try {
            source.busy = true;
            log = start();
            await(() -> log.readerStatus().orElseThrow().bindFailures() >= 2, Duration.ofSeconds(2));
            await(() -> captured.toString(StandardCharsets.UTF_8).contains("denied-traffic log is not recording"),
                    Duration.ofSeconds(2));

            source.busy = false;
            await(() -> log.readerStatus().orElseThrow().state() == NflogReader.State.BOUND, Duration.ofSeconds(2));
            source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 0, false));
            await(() -> lines.size() == 1, Duration.ofSeconds(2));
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("ERROR DenialLog [n1] node n1: the "
                + "denied-traffic log is not recording: cannot bind: NFLOG group 1047 is already bound by another "
                + "netlink socket (port id 4242); retrying with backoff (enforcement and readiness are unaffected)");
    }

    @Test
    void closingWritesWhatIsPendingAndReleasesTheGroup() throws Exception {
        log = start(DenialLogSettings.defaults().withInterval(Duration.ofMinutes(1)), lines::addAll);
        source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 0, false));
        await(() -> lines.size() == 1, Duration.ofSeconds(2));
        source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80),
                tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)), 0, false));
        await(() -> log.readerStatus().orElseThrow().received() == 3, Duration.ofSeconds(2));

        log.close();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).endsWith("\"count\":2}");
        assertThat(log.readerStatus().orElseThrow().state()).isEqualTo(NflogReader.State.CLOSED);
    }

    @Test
    void aFileGetsOneLinePerRecordAndAFailingWriteIsCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("denials.jsonl");
        DenialLogSettings settings = DenialLogSettings.defaults().withFile(file);
        log = start(settings, DenialSink.file(file));
        source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80),
                tcp(DENY_WEB, "10.0.0.3", "10.0.0.1", 80)), 0, false));

        await(() -> Files.exists(file) && lines(file).size() == 2, Duration.ofSeconds(2));
        assertThat(lines(file)).allSatisfy(l -> assertThat(l).startsWith("{\"time\":").endsWith("}"));

        Files.delete(file);
        Files.createDirectory(file); // a directory where the file was: the next write fails
        source.batches.add(new NflogBatch(List.of(tcp(DENY_WEB, "10.0.0.4", "10.0.0.1", 80)), 0, false));
        await(() -> metrics.denialWriteFailures.get() == 1, Duration.ofSeconds(2));
        assertThat(metrics.denialRecords.get()).isEqualTo(2);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
