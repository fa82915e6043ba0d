package dev.weir.lab.cli;

import static dev.weir.cli.CliRun.weir;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.agent.denials.DenialRecordJson;
import dev.weir.cli.CliRun;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.lab.denials.DenialLogFiles;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir lab denials} over files like the agents write; it needs neither root nor a running lab. */
class LabDenialsTest {

    @TempDir
    Path dir;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private String oldN2;
    private String newN1;
    private String newN2;

    private static DenialRecord record(Instant time, String node, String from, String to, Decision d, long count) {
        return new DenialRecord(time, node, end(from), end(to), 6, 80, d, count);
    }

    private static DenialRecord.End end(String key) {
        String[] k = key.split("/");
        String ip = key.equals("y/a") ? "10.244.1.5" : key.equals("x/a") ? "10.244.1.2" : "10.244.2.2";
        return new DenialRecord.End(IpAddress.parse(ip), Optional.of(ObjectKey.pod(k[0], k[1])));
    }

    @BeforeEach
    void twoNodesWroteRecords() throws IOException {
        Decision admin = Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY, PolicyTier.ADMIN,
                "deny-y-to-x", new Decision.RuleRef(0, "deny-y"));
        Decision defaultDeny = Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("x",
                "deny-all")));
        oldN2 = DenialRecordJson.write(record(now.minusSeconds(600), "wl-n2", "y/a", "x/b", defaultDeny, 4));
        newN2 = DenialRecordJson.write(record(now.minusSeconds(2), "wl-n2", "y/a", "x/b", defaultDeny, 1));
        newN1 = DenialRecordJson.write(record(now.minusSeconds(5), "wl-n1", "y/a", "x/a", admin, 2));
        StateStore store = new StateStore(dir);
        Files.writeString(DenialLogFiles.of(store, "wl-n2"), oldN2 + "\n" + newN2 + "\n");
        Files.writeString(DenialLogFiles.of(store, "wl-n1"), newN1 + "\n");
    }

    private CliRun denials(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("lab", "denials", "--state-dir", dir.toString()));
        argv.addAll(List.of(args));
        return weir(argv.toArray(String[]::new));
    }

    @Test
    void textIsOneLinePerRecordOfEveryNodeNewestLast() {
        CliRun r = denials();

        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).satisfiesExactly(
                l -> assertThat(l).startsWith(now.minusSeconds(600) + "  wl-n2  y/a -> x/b  80/TCP  deny  ingress: "
                        + "x/b is isolated by x/deny-all and no rule allows it: denied  (4 packets)"),
                l -> assertThat(l).startsWith(now.minusSeconds(5) + "  wl-n1  y/a -> x/a  80/TCP  deny  ingress: "
                        + "denied by ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)  (2 packets)"),
                l -> assertThat(l).startsWith(now.minusSeconds(2) + "  wl-n2"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonIsTheAgentsLinesAsWrittenNewestLast() {
        assertThat(denials("-o", "json").out().lines()).containsExactly(oldN2, newN1, newN2);
    }

    @Test
    void sinceAndNodeNarrowTheRecords() {
        assertThat(denials("-o", "json", "--since", "1m").out().lines()).containsExactly(newN1, newN2);
        assertThat(denials("-o", "json", "--node", "wl-n2").out().lines()).containsExactly(oldN2, newN2);
        CliRun none = denials("--since", "1ms", "--node", "wl-n1");
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).startsWith("weir lab denials: no records of the last 1ms in " + dir);
    }

    @Test
    void aNodeTheLabDoesNotHaveAndAnUnknownFormatAreUsageErrors() {
        new StateStore(dir).write(LabState.starting(1, "wl-", AddressPlanner.plan(
                LabSpec.defaultCluster(2, Topology.FLANNEL, Backend.VXLAN), "wl-")));

        CliRun node = denials("--node", "wl-n3");
        assertThat(node.exit()).isEqualTo(2);
        assertThat(node.err()).startsWith("weir lab denials: --node wl-n3: the lab's nodes are wl-n1, wl-n2");
        CliRun format = denials("-o", "yaml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).startsWith("weir lab denials: -o wants text or json, got \"yaml\"");
    }
}
