package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.DenialLogSettings;
import dev.weir.agent.LocalNetworkSettings;
import dev.weir.agent.ReportSettings;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.model.Cidr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code weir agent}'s flags and environment variables: the contract table of docs/agent.md. */
class AgentCommandTest {

    /** Every variable the agent reads; the in-process tests need them unset, the subprocess ones set them. */
    private static final List<String> VARIABLES = List.of("NODE_NAME", "KUBECONFIG", "WEIR_RESYNC_INTERVAL",
            "WEIR_MIN_SYNC_INTERVAL", "WEIR_DRIFT_CHECK_INTERVAL", "WEIR_IPTABLES_BACKEND", "WEIR_MARK_MASK",
            "WEIR_CONN_MARK",
            "WEIR_HTTP_PORT", "WEIR_LOG_FORMAT", "WEIR_LOG_LEVEL", "WEIR_NETNS", "WEIR_REVOKE_DENIED_FLOWS",
            "WEIR_ANTI_SPOOFING", "WEIR_CNI_CACHE_DIR", "WEIR_UNPROGRAMMED_PODS", "WEIR_POD_CIDRS",
            "WEIR_INTERFACE_SCAN_INTERVAL", "WEIR_DENIAL_LOG", "WEIR_DENIAL_LOG_GROUP", "WEIR_DENIAL_LOG_RATE",
            "WEIR_DENIAL_LOG_BURST", "WEIR_DENIAL_LOG_INTERVAL", "WEIR_DENIAL_LOG_FILE", "WEIR_REPORT",
            "WEIR_REPORT_INTERVAL", "WEIR_REPORT_HEARTBEAT_INTERVAL");

    private static AgentConfig parse(String... flags) {
        assumeTrue(VARIABLES.stream().allMatch(v -> System.getenv(v) == null), "the agent's variables are unset");
        AgentCommand c = new AgentCommand();
        Main.configure(new CommandLine(c)).parseArgs(flags);
        return c.config();
    }

    /** {@code weir agent} in this JVM; every case fails before the agent would start (no such kubeconfig). */
    private static CliRun weirAgent(List<String> flags) {
        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of("--kubeconfig", "/nonexistent/kubeconfig"));
        return CliRun.weir(new AgentCommand(), args.toArray(String[]::new));
    }

    /** {@code weir agent args} in a fresh JVM whose environment holds exactly {@code env} of the agent's variables. */
    private static CliRun weirAgentWithEnvironment(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "agent"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CliRun(p.exitValue(), out, err);
    }

    @Test
    void defaultsAreTheContractTable() {
        AgentConfig c = parse("--node", "n1");

        assertThat(c).isEqualTo(new AgentConfig("n1", null, Duration.ofMinutes(5), Duration.ofMillis(500),
                Duration.ofSeconds(5), AgentConfig.Backend.AUTO, RenderOptions.defaults(), 9099,
                AgentConfig.LogFormat.TEXT, "info", null, true));
        assertThat(c).isEqualTo(AgentConfig.defaults("n1"));
        assertThat(c.localNetwork()).isEqualTo(new LocalNetworkSettings(true, Path.of("/var/lib/cni/results"),
                LocalNetworkSettings.UnprogrammedPods.ALLOW, List.of(), Duration.ofSeconds(1)));
        assertThat(c.denialLog()).isEqualTo(new DenialLogSettings(true, DenialLogSettings.Namespaces.ALL, 1047, 100,
                200, Duration.ofSeconds(1), null));
        assertThat(c.report()).isEqualTo(new ReportSettings(true, Duration.ofSeconds(5), Duration.ofSeconds(60)));
    }

    @Test
    void theReportFlagsSetItsSettings() {
        assertThat(parse("--node", "n1", "--no-report", "--report-interval", "2s", "--report-heartbeat-interval",
                "2m").report()).isEqualTo(new ReportSettings(false, Duration.ofSeconds(2), Duration.ofMinutes(2)));
        assertThat(parse("--node", "n1", "--report-interval", "1s", "--report-heartbeat-interval", "1s").report())
                .isEqualTo(new ReportSettings(true, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test
    void theReportVariablesAreHonoured() throws Exception {
        CliRun help = weirAgentWithEnvironment(Map.of("WEIR_REPORT", "false", "WEIR_REPORT_INTERVAL", "10s",
                "WEIR_REPORT_HEARTBEAT_INTERVAL", "5m"), "--help");

        assertThat(help.out().replaceAll("\\s+", " ")).contains("[WEIR_REPORT; false]",
                "[WEIR_REPORT_INTERVAL; 10s]", "[WEIR_REPORT_HEARTBEAT_INTERVAL; 5m]");
        CliRun beatTooOften = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "WEIR_REPORT_INTERVAL", "30s",
                "WEIR_REPORT_HEARTBEAT_INTERVAL", "10s", "KUBECONFIG", "/nonexistent/k"));
        assertThat(beatTooOften.exit()).isEqualTo(2);
        assertThat(beatTooOften.err()).contains("weir agent: --report-heartbeat-interval/"
                + "WEIR_REPORT_HEARTBEAT_INTERVAL: report heartbeat interval 10s must be between the report interval "
                + "(30s) and 10m");
    }

    @Test
    void theDenialLogFlagsSetItsSettings() {
        AgentConfig c = parse("--node", "n1", "--no-denial-log", "--denial-log-group", "7", "--denial-log-rate",
                "50/s", "--denial-log-burst", "10", "--denial-log-interval", "5s", "--denial-log-file",
                "/var/log/weir/denials.jsonl", "--denial-log-namespaces", "annotated");

        assertThat(c.denialLog()).isEqualTo(new DenialLogSettings(false, DenialLogSettings.Namespaces.ANNOTATED, 7,
                50, 10, Duration.ofSeconds(5), Path.of("/var/log/weir/denials.jsonl")));
        assertThat(c.denialLog().rules().mode()).isEqualTo(dev.weir.iptables.render.DenialLog.Mode.OFF);
        assertThat(parse("--node", "n1", "--denial-log-namespaces", "annotated").denialLog().rules().mode())
                .as("only annotated namespaces log").isEqualTo(dev.weir.iptables.render.DenialLog.Mode.OPT_IN);
        assertThat(parse("--node", "n1").denialLog().rules().mode()).isEqualTo(
                dev.weir.iptables.render.DenialLog.Mode.ON);
        assertThat(parse("--node", "n1", "--denial-log-rate", "1000").denialLog().rate()).isEqualTo(1000);
    }

    @Test
    void aDenialLogFileInADirectoryThatDoesNotExistIsAUsageError(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        CliRun r = CliRun.weir(new AgentCommand(), "--node", "n1", "--kubeconfig", kubeconfig.toString(),
                "--denial-log-file", dir.resolve("missing/denials.jsonl").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("weir agent: --denial-log-file/WEIR_DENIAL_LOG_FILE: no directory "
                + dir.resolve("missing"));
    }

    @Test
    void theDenialLogVariablesAreHonoured() throws Exception {
        CliRun help = weirAgentWithEnvironment(Map.of("WEIR_DENIAL_LOG", "false", "WEIR_DENIAL_LOG_GROUP", "9",
                "WEIR_DENIAL_LOG_RATE", "20", "WEIR_DENIAL_LOG_BURST", "40", "WEIR_DENIAL_LOG_INTERVAL", "10s",
                "WEIR_DENIAL_LOG_FILE", "/tmp/d.jsonl"), "--help");

        assertThat(help.out().replaceAll("\\s+", " ")).contains("[WEIR_DENIAL_LOG; false]",
                "[WEIR_DENIAL_LOG_GROUP; 9]", "[WEIR_DENIAL_LOG_RATE; 20]", "[WEIR_DENIAL_LOG_BURST; 40]",
                "[WEIR_DENIAL_LOG_INTERVAL; 10s]", "[WEIR_DENIAL_LOG_FILE; default: stdout]");
        CliRun badRate = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "WEIR_DENIAL_LOG_RATE", "5000",
                "KUBECONFIG", "/nonexistent/k"));
        assertThat(badRate.exit()).isEqualTo(2);
        assertThat(badRate.err()).contains("weir agent: WEIR_DENIAL_LOG_RATE: \"5000\" is not a whole number from 1 "
                + "to 1000");
    }

    @Test
    void everyFlagSetsItsSetting() {
        AgentConfig c = parse("--node=n2", "--kubeconfig", "/k", "--resync-interval", "1h", "--min-sync-interval",
                "100ms", "--drift-check-interval", "30s", "--iptables-backend", "legacy", "--mark-mask", "0xf000",
                "--conn-mark", "0x80000",
                "--http-port", "9100", "--log-format", "json", "--log-level", "DEBUG", "--netns", "wl-n2",
                "--no-revoke-denied-flows", "--no-anti-spoofing", "--cni-cache-dir", "/run/cni/results",
                "--unprogrammed-pods", "DROP", "--pod-cidrs", "fd00:10:244:1::/64, 10.244.1.0/24",
                "--interface-scan-interval", "250ms");

        assertThat(c).isEqualTo(new AgentConfig("n2", Path.of("/k"), Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofSeconds(30), AgentConfig.Backend.LEGACY,
                new RenderOptions(0x1000, 0x2000, 0x4000, 0x8000).withConnMark(0x80000), 9100,
                AgentConfig.LogFormat.JSON, "debug", "wl-n2", false,
                new LocalNetworkSettings(false, Path.of("/run/cni/results"), LocalNetworkSettings.UnprogrammedPods.DROP,
                        List.of(Cidr.parse("10.244.1.0/24"), Cidr.parse("fd00:10:244:1::/64")),
                        Duration.ofMillis(250))));
    }

    @Test
    void theFastPathsConntrackMarkDefaultsToBit24AndZeroTurnsItOff() {
        assertThat(parse("--node", "n1").renderOptions().connMark()).isEqualTo(0x1000000);
        assertThat(parse("--node", "n1", "--conn-mark", "0").renderOptions().fastPath()).isFalse();
        assertThat(parse("--node", "n1", "--mark-mask", "0xf000", "--conn-mark", "0x100").renderOptions())
                .isEqualTo(RenderOptions.parseMask("0xf000").withConnMark(0x100));
    }

    @Test
    void antiSpoofingCanBeSwitchedOnAndAnEmptyPodCidrListMeansTheNodeObject() {
        AgentConfig c = parse("--node", "n1", "--anti-spoofing", "--pod-cidrs", "");

        assertThat(c.localNetwork().antiSpoofing()).isTrue();
        assertThat(c.localNetwork().podCidrs()).isEmpty();
    }

    @Test
    void environmentVariablesAreHonouredAndAFlagWinsOverItsVariable() throws Exception {
        CliRun help = weirAgentWithEnvironment(Map.of("WEIR_RESYNC_INTERVAL", "1h", "WEIR_HTTP_PORT", "1234"),
                "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("[WEIR_RESYNC_INTERVAL; 1h]", "[WEIR_HTTP_PORT; 1234]");

        // NODE_NAME is taken (else: "the node name is required"), and so is KUBECONFIG, which cannot be read
        CliRun node = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "KUBECONFIG", "/nonexistent/k"));
        assertThat(node.exit()).as(node.err()).isEqualTo(2);
        assertThat(node.err()).contains("--kubeconfig/KUBECONFIG: cannot read /nonexistent/k");

        CliRun flagWins = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "WEIR_MARK_MASK", "0x4000"),
                "--mark-mask", "0xf00000", "--kubeconfig", "/nonexistent/flag");
        assertThat(flagWins.err()).contains("cannot read /nonexistent/flag").doesNotContain("mark mask 0x4000");
    }

    @Test
    void theLocalNetworkVariablesAreHonoured() throws Exception {
        CliRun help = weirAgentWithEnvironment(Map.of("WEIR_ANTI_SPOOFING", "false", "WEIR_UNPROGRAMMED_PODS", "drop",
                "WEIR_CNI_CACHE_DIR", "/run/cni", "WEIR_INTERFACE_SCAN_INTERVAL", "2s"), "--help");

        assertThat(help.out().replaceAll("\\s+", " ")).contains("[WEIR_ANTI_SPOOFING; false]",
                "[WEIR_UNPROGRAMMED_PODS; drop]",
                "[WEIR_CNI_CACHE_DIR; /run/cni]", "[WEIR_INTERFACE_SCAN_INTERVAL; 2s]");
        CliRun badCidr = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "WEIR_POD_CIDRS", "10.244.1.0/33",
                "KUBECONFIG", "/nonexistent/k"));
        assertThat(badCidr.exit()).isEqualTo(2);
        assertThat(badCidr.err()).contains("weir agent: WEIR_POD_CIDRS: invalid CIDR \"10.244.1.0/33\"");
    }

    @Test
    void aBadVariableIsRefusedNamingTheVariable() throws Exception {
        CliRun r = weirAgentWithEnvironment(Map.of("NODE_NAME", "n1", "WEIR_MARK_MASK", "0x4000",
                "KUBECONFIG", "/nonexistent/k"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("weir agent: WEIR_MARK_MASK: mark mask 0x4000 must have at least 4 bits set");
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(List.of(), "the node name is required: pass --node NAME or set NODE_NAME"),
                Arguments.of(List.of("--node", "n1", "--resync-interval", "5x"),
                        "--resync-interval: \"5x\" is not a duration (write e.g. 500ms, 30s, 5m, 1h)"),
                Arguments.of(List.of("--node", "n1", "--min-sync-interval=fast"), "--min-sync-interval: \"fast\""),
                Arguments.of(List.of("--node", "n1", "--drift-check-interval", "0s"),
                        "--drift-check-interval: must be longer than 0"),
                Arguments.of(List.of("--node", "n1", "--iptables-backend", "ebpf"),
                        "--iptables-backend: expected one of [AUTO, NFT, LEGACY] (case-insensitive) but was 'ebpf'"),
                Arguments.of(List.of("--node", "n1", "--http-port", "70000"),
                        "--http-port: \"70000\" is not a port (0-65535)"),
                Arguments.of(List.of("--node", "n1", "--log-format", "xml"), "--log-format: expected one of"),
                Arguments.of(List.of("--node", "n1", "--log-level", "loud"),
                        "--log-level: \"loud\" is not one of error, warn, info, debug, trace"),
                Arguments.of(List.of("--node", "n1", "--mark-mask", "0x4000"),
                        "--mark-mask: mark mask 0x4000 must have at least 4 bits set"),
                Arguments.of(List.of("--node", "n1", "--mark-mask", "high"),
                        "--mark-mask: mark mask \"high\" is not a number"),
                Arguments.of(List.of("--node", "n1", "--conn-mark", "0x3"),
                        "--conn-mark: conntrack mark \"0x3\" must be one bit of 32"),
                Arguments.of(List.of("--node", "n1", "--unprogrammed-pods", "reject"),
                        "--unprogrammed-pods: expected one of [ALLOW, DROP] (case-insensitive) but was 'reject'"),
                Arguments.of(List.of("--node", "n1", "--pod-cidrs", "10.244.1.0/24,10.244.2.0"),
                        "--pod-cidrs: \"10.244.2.0\" is not a CIDR (write e.g. 10.244.1.0/24)"),
                Arguments.of(List.of("--node", "n1", "--interface-scan-interval", "0s"),
                        "--interface-scan-interval: must be longer than 0"),
                Arguments.of(List.of("--node", "n1", "--denial-log-group", "65536"),
                        "--denial-log-group: \"65536\" is not an NFLOG group (0-65535)"),
                Arguments.of(List.of("--node", "n1", "--denial-log-rate", "0/s"),
                        "--denial-log-rate: \"0\" is not a whole number from 1 to 1000"),
                Arguments.of(List.of("--node", "n1", "--denial-log-burst", "many"),
                        "--denial-log-burst: \"many\" is not a whole number from 1 to 10000"),
                Arguments.of(List.of("--node", "n1", "--denial-log-interval", "50ms"),
                        "--denial-log-interval: must be between 100ms and 1m"),
                Arguments.of(List.of("--node", "n1", "--report-interval", "500ms"),
                        "--report-interval: must be between 1s and 10m"),
                Arguments.of(List.of("--node", "n1", "--report-heartbeat-interval", "1h"),
                        "--report-heartbeat-interval: must be between 1s and 10m"),
                Arguments.of(List.of("--node", "n1", "--nodes", "2"), "Unknown options: '--nodes', '2'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFlags")
    void aBadValueIsAUsageErrorNamingItsFlag(List<String> flags, String message) {
        assumeTrue(System.getenv("NODE_NAME") == null, "NODE_NAME is unset");
        CliRun r = weirAgent(flags);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("weir agent: " + message.substring(0, 10)).contains(message);
    }

    @Test
    void helpListsEveryFlagWithItsVariable() {
        CliRun r = CliRun.weir("agent", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: weir agent [--node NAME] [FLAGS]",
                "--node=NAME", "NODE_NAME", "--kubeconfig=FILE", "KUBECONFIG", "--resync-interval=D",
                "WEIR_RESYNC_INTERVAL", "--min-sync-interval=D", "WEIR_MIN_SYNC_INTERVAL", "--drift-check-interval=D",
                "WEIR_DRIFT_CHECK_INTERVAL", "--iptables-backend=B", "WEIR_IPTABLES_BACKEND", "--mark-mask=M",
                "WEIR_MARK_MASK", "--conn-mark=B", "WEIR_CONN_MARK",
                "--http-port=P", "WEIR_HTTP_PORT", "--log-format=F", "WEIR_LOG_FORMAT",
                "--log-level=L", "WEIR_LOG_LEVEL", "--netns=NAME", "WEIR_NETNS", "--[no-]anti-spoofing",
                "WEIR_ANTI_SPOOFING", "--cni-cache-dir=DIR", "WEIR_CNI_CACHE_DIR", "--unprogrammed-pods=A",
                "WEIR_UNPROGRAMMED_PODS", "--pod-cidrs=LIST", "WEIR_POD_CIDRS", "--interface-scan-interval=D",
                "WEIR_INTERFACE_SCAN_INTERVAL", "--[no-]denial-log", "WEIR_DENIAL_LOG", "--denial-log-group=G",
                "WEIR_DENIAL_LOG_GROUP", "--denial-log-rate=N", "WEIR_DENIAL_LOG_RATE", "--denial-log-burst=N",
                "WEIR_DENIAL_LOG_BURST", "--denial-log-interval=D", "WEIR_DENIAL_LOG_INTERVAL",
                "--denial-log-file=PATH", "WEIR_DENIAL_LOG_FILE", "--[no-]report", "WEIR_REPORT",
                "--report-interval=D", "WEIR_REPORT_INTERVAL", "--report-heartbeat-interval=D",
                "WEIR_REPORT_HEARTBEAT_INTERVAL", "-h, --help");
    }
}
