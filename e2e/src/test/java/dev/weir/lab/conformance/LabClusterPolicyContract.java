package dev.weir.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.agent.denials.DenialRecordJson;
import dev.weir.conformance.Scenario;
import dev.weir.conformance.ScenarioCatalogue;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.lab.LabFixture;
import dev.weir.lab.denials.DenialText;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ClusterNetworkPolicy scenarios ({@link ScenarioCatalogue#clusterPolicies()}) with real packets on a 2-node lab
 * with in-process agents, one subclass per topology (about 35 s each including up and down): each observation must match the scenario's expected table and agree with explain (which
 * reads the lab's ClusterNetworkPolicies too). Plus what a table cannot show: an Admin Deny drops (the probe times
 * out, no reset) and shows in {@code weir lab denials}, and the shipped examples go in with {@code weir lab kubectl
 * apply -f} and {@code weir lab probe --compare --denials} agrees with them, records included.
 */
abstract class LabClusterPolicyContract extends LabConformanceContract {

    static final String DENY_Y_TO_X = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: deny-y-to-x}
            spec:
              tier: Admin
              priority: 10
              subject: {namespaces: {matchLabels: {ns: x}}}
              ingress: [{name: deny-y, action: Deny, from: [{namespaces: {matchLabels: {ns: "y"}}}]}]
            """; // "y" quoted: kubectl reads YAML 1.1, where a bare y is the boolean true

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Override
    boolean everyScenarioInHalfMode() {
        return true;
    }

    /** All ten in every {@code weir.lab.conformance} mode: they are few. */
    @Override
    List<Scenario> scenarios() {
        return ScenarioCatalogue.clusterPolicies();
    }

    @Override
    boolean packetsMustAgreeWithExplain() {
        return true;
    }

    @Test
    void anAdminDenyDropsSoTheConnectTimesOutInsteadOfBeingRefused() throws Exception {
        long started = System.nanoTime();
        cluster.reset();
        cluster.applyClusterPolicy("deny-y-to-x", DENY_Y_TO_X);
        waitUntilDenied("y/a", "x/a");

        ProbeResult denied = cluster.probe("y/a", "x/a", 80, Protocol.TCP);
        ProbeResult other = cluster.probe("z/a", "x/a", 80, Protocol.TCP);

        assertThat(denied.allowed()).as(denied.detail()).isFalse();
        assertThat(denied.detail()).startsWith("timed out").doesNotContain("refused");
        assertThat(other.allowed()).as("z is not denied: %s", other.detail()).isTrue();
        assertThatTheDropIsInLabDenials(started);
    }

    /**
     * {@code weir lab denials} shows the drops of y/a -> x/a 80/TCP since {@code started} (nano time), in words and
     * as the agent's JSON lines.
     */
    private void assertThatTheDropIsInLabDenials(long started) throws Exception {
        String node = state.plan().pod("x/a").orElseThrow().node();
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<String> lines;
        String since;
        do {
            Thread.sleep(100);
            since = (System.nanoTime() - started) / 1_000_000 + "ms";
            LabFixture.Run json = lab.weir(List.of("lab", "denials", "--state-dir", stateDir.toString(), "-o", "json",
                    "--since", since, "--node", node));
            assertThat(json.code()).as(json.output()).isZero();
            lines = json.output().lines().filter(l -> l.contains("\"deny-y-to-x\"")).toList();
        } while (lines.isEmpty() && System.nanoTime() < deadline);

        assertThat(lines).as("records of the Admin Deny on %s", node).isNotEmpty().allSatisfy(l -> {
            DenialRecord r = DenialRecordJson.read(l);
            assertThat(r.node()).isEqualTo(node);
            assertThat(DenialText.end(r.source()) + " " + DenialText.end(r.destination()) + " " + DenialText.target(r))
                    .isEqualTo("y/a x/a 80/TCP");
            assertThat(r.decision()).isEqualTo(Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY,
                    PolicyTier.ADMIN, "deny-y-to-x", new Decision.RuleRef(0, "deny-y")));
        });
        LabFixture.Run text = lab.weir(List.of("lab", "denials", "--state-dir", stateDir.toString(), "--since",
                since));
        assertThat(text.output()).containsPattern("(?m)^\\S+Z  " + node + "  y/a -> x/a  +80/TCP  +deny  +ingress: "
                + "denied by ClusterNetworkPolicy deny-y-to-x ingress\\[0\\] \"deny-y\" \\(Admin\\)  "
                + "\\(\\d+ packets?\\)$");
    }

    @Test
    void theExamplesApplyWithLabKubectlAndProbeCompareAgreesWithTheirEffect() throws Exception {
        cluster.reset();
        Path examples = Path.of("..", "examples", "cluster-network-policy");
        Path deny = Files.writeString(stateDir.resolve("deny-y-to-x.yaml"), DENY_Y_TO_X);
        List<Path> files = List.of(examples.resolve("admin-deny-metadata-egress.yaml"),
                examples.resolve("admin-pass-to-namespace-owners.yaml"),
                examples.resolve("baseline-tenant-isolation.yaml"), deny);

        for (Path f : files) {
            LabFixture.Run apply = lab.weir(List.of("lab", "kubectl", "--state-dir", stateDir.toString(), "apply",
                    "-f", f.toString()));
            assertThat(apply.code()).as("kubectl apply -f %s: %s", f, apply.output()).isZero();
        }
        assertThat(client.resources(ClusterNetworkPolicy.class).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("deny-cloud-metadata", "delegate-metrics-scrapes", "tenant-blue-isolation",
                        "tenant-green-isolation", "deny-y-to-x");
        waitUntilDenied("y/a", "x/a");

        LabFixture.Run compare = compareUntilAgreed();

        assertThat(compare.code()).as(compare.output()).isZero();
        assertThat(compare.output()).contains("the dataplane agrees with explain in every cell",
                "denial records of the dropped cells:", "y/a -> x/a 80/TCP: recorded by ",
                "ingress: denied by ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)")
                .containsPattern("# denial records: (\\d+) denied cells: \\1 recorded with explain's decision, "
                        + "0 without a record, 0 recorded otherwise, 0 not dropped; 0 allowed cells with a record");
        assertThat(cluster.probe("y/b", "x/b", 80, Protocol.TCP).allowed()).as("the Deny is enforced").isFalse();
    }

    /** The agents apply asynchronously: probes until the cell is denied (10 s at most). */
    private void waitUntilDenied(String from, String to) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        ProbeResult r;
        do {
            r = cluster.probe(from, to, 80, Protocol.TCP);
        } while (r.allowed() && System.nanoTime() < deadline);
        assertThat(r.allowed()).as("%s -> %s still allowed after 10 s; the lab's ClusterNetworkPolicies:%n%s", from,
                to, client.resources(ClusterNetworkPolicy.class).list().getItems().stream()
                        .map(c -> YAML.asJson(c)).toList()).isFalse();
    }

    /**
     * {@code weir lab probe --compare --denials} on 80/TCP, retried for 10 s while the agents converge (and their
     * records of every dropped cell name explain's decision).
     */
    private LabFixture.Run compareUntilAgreed() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> args = new ArrayList<>(List.of("lab", "probe", "--compare", "--denials", "--state-dir",
                stateDir.toString(), "--ports", "80", "--protocols", "tcp", "--timeout", "400ms"));
        LabFixture.Run r;
        do {
            r = lab.weir(args);
        } while (r.code() != 0 && System.nanoTime() < deadline);
        return r;
    }
}
