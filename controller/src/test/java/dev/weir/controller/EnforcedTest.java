package dev.weir.controller;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static dev.weir.controller.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.NodeAgent;
import dev.weir.agent.ReportSettings;
import dev.weir.agent.TestingDataplane;
import dev.weir.agent.TestingRenderer;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.report.NodePolicyReport;
import dev.weir.model.ObjectKey;
import dev.weir.status.NodeReport;
import dev.weir.status.NodeReports;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test: three node agents in this JVM publishing their NodePolicyReports (mock API server in CRUD mode,
 * serving the CRD with its status subresource) and the controller: a policy's create, update and delete are reported
 * enforced on every node within 5 s of the last agent's apply; a stopped agent shows as stale.
 */
class EnforcedTest {

    /** The bound, from the last agent's apply to what users read. */
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Agents write at most every 250 ms and at least every second; the controller calls 3 s of silence stale. */
    private static final ReportSettings REPORTS = new ReportSettings(true, Duration.ofMillis(250),
            Duration.ofSeconds(1));
    private static final Duration STALE_AFTER = Duration.ofSeconds(3);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    private ControllerFixture fixture;
    private final Map<String, TestingDataplane> dataplanes = new java.util.TreeMap<>();
    private final Map<String, NodeAgent> agents = new java.util.TreeMap<>();
    private WeirController controller;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ControllerFixture();
        fixture.cluster.serveNodeReports();
        fixture.kube.resource(namespace("dev")).create();
        for (String n : NODES) {
            fixture.kube.nodes().resource(new NodeBuilder().withNewMetadata().withName(n).endMetadata().build())
                    .create();
            // a web pod on every node: a policy selecting app=web should be enforced on all three
            fixture.kube.resource(pod("dev", "web-" + n, "10.0.0." + (1 + NODES.indexOf(n)), n, "app", "web"))
                    .create();
        }
        for (String n : NODES) {
            TestingDataplane d = new TestingDataplane();
            dataplanes.put(n, d);
            agents.put(n, fixture.agent(n, d, REPORTS));
        }
        controller = fixture.controller("c1", c -> c.withStaleAfter(STALE_AFTER)).controller();
        assertThat(await(() -> controller.leading() && controller.health().ready(), WAIT)).isTrue();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    /** Waits until every agent has applied a ruleset that {@code applied} accepts; returns the nanos then. */
    private long awaitEveryAgent(Predicate<List<String>> applied) throws InterruptedException {
        for (TestingDataplane d : dataplanes.values()) {
            d.awaitApplied(r -> applied.test(TestingRenderer.lines(r)), WAIT);
        }
        return System.nanoTime();
    }

    private NetworkPolicy np(String name) {
        return fixture.kube.network().v1().networkPolicies().inNamespace("dev").withName(name).get();
    }

    private String annotation(String name) {
        NetworkPolicy p = np(name);
        return p == null ? null : EnforcedAnnotationWriter.current(p);
    }

    private Optional<Condition> enforced(String cnp) {
        ClusterNetworkPolicy p = fixture.kube.resources(ClusterNetworkPolicy.class).withName(cnp).get();
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> "Enforced".equals(c.getType())).findFirst();
    }

    /** Asserts {@code condition} holds within {@link #WITHIN} of {@code since} (nanos); returns the time taken. */
    private static Duration within(long since, java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = since + WITHIN.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            Thread.sleep(20);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - since);
        assertThat(condition.getAsBoolean()).as("%s within %s of the last agent's apply", what, WITHIN).isTrue();
        System.out.printf("%s: %d ms after the last agent's apply%n", what, took.toMillis());
        return took;
    }

    private List<NodeReport> reports() {
        return fixture.kube.genericKubernetesResources(NodePolicyReport.API_VERSION, NodePolicyReport.KIND).list()
                .getItems().stream().map(NodeReports::read).toList();
    }

    private List<Event> events(String reason) {
        return fixture.kube.v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Test
    void aNetworkPolicysCreateUpdateAndDeleteAreReportedEnforcedOnEveryNodeWithinFiveSeconds() throws Exception {
        fixture.kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        long applied = awaitEveryAgent(l -> l.contains("policy dev/web-from-db"));
        within(applied, () -> "3/3 nodes, generation 1".equals(annotation("web-from-db")), "created: 3/3, gen 1");

        NetworkPolicy p = np("web-from-db");
        p.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().setMatchLabels(Map.of("app", "cache"));
        fixture.kube.resource(p).update();
        applied = awaitEveryAgent(l -> l.stream().anyMatch(x -> x.startsWith("group ns:dev/pods:app in (cache)")));
        within(applied, () -> "3/3 nodes, generation 2".equals(annotation("web-from-db")), "updated: 3/3, gen 2");

        fixture.kube.network().v1().networkPolicies().inNamespace("dev").withName("web-from-db").delete();
        applied = awaitEveryAgent(l -> !l.contains("policy dev/web-from-db"));
        ObjectKey key = ObjectKey.networkPolicy("dev", "web-from-db");
        within(applied, () -> reports().size() == 3 && reports().stream().noneMatch(r -> r.policies()
                .containsKey(key)), "deleted: no node lists it");
        // one PolicyEnforced Event per generation, not one per node
        assertThat(events(PolicyEvents.ENFORCED)).extracting(Event::getMessage).containsExactlyInAnyOrder(
                "enforced on 3/3 nodes, generation 1", "enforced on 3/3 nodes, generation 2");
        assertThat(events(PolicyEvents.NOT_ENFORCED)).isEmpty();
    }

    @Test
    void aClusterNetworkPolicysCreateAndUpdateAreReportedInItsEnforcedCondition() throws Exception {
        fixture.kube.resource(cnp("deny-metadata", 10)).create();
        long applied = awaitEveryAgent(l -> l.contains("policy ClusterNetworkPolicy/deny-metadata"));
        within(applied, () -> enforced("deny-metadata").map(c -> c.getStatus().equals("True")
                && c.getMessage().equals("3/3 nodes, generation 1")).orElse(false), "CNP created: Enforced=True");

        ClusterNetworkPolicy p = fixture.kube.resources(ClusterNetworkPolicy.class).withName("deny-metadata").get();
        p.getSpec().setPriority(20);
        fixture.kube.resource(p).update();
        Thread.sleep(300); // the agents' applies of generation 2 render the same rules: no new ruleset to await
        long after = System.nanoTime();
        within(after, () -> enforced("deny-metadata").map(c -> c.getObservedGeneration() == 2L
                && c.getMessage().equals("3/3 nodes, generation 2")).orElse(false), "CNP updated: generation 2");
        Condition c = enforced("deny-metadata").orElseThrow();
        assertThat(c.getReason()).isEqualTo("Enforced");
    }

    @Test
    void aStoppedAgentShowsAsStaleAndTheNetworkPolicyGetsOneWarning() throws Exception {
        fixture.kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        fixture.kube.resource(cnp("deny-metadata", 10)).create();
        long applied = awaitEveryAgent(l -> l.contains("policy dev/web-from-db")
                && l.contains("policy ClusterNetworkPolicy/deny-metadata"));
        within(applied, () -> "3/3 nodes, generation 1".equals(annotation("web-from-db")), "3/3 before the stop");

        agents.get("n3").close();
        long stopped = System.nanoTime();

        assertThat(await(() -> "2/3 nodes, generation 1; stale: n3".equals(annotation("web-from-db")), WAIT))
                .as("annotation %s", annotation("web-from-db")).isTrue();
        long took = (System.nanoTime() - stopped) / 1_000_000;
        System.out.printf("stopped agent named stale after %d ms (stale after %d ms)%n", took,
                STALE_AFTER.toMillis());
        assertThat(took).as("not before its report is stale-after old").isGreaterThan(STALE_AFTER.toMillis() - 1000);
        assertThat(await(() -> enforced("deny-metadata").map(c -> c.getStatus().equals("False")
                && c.getReason().equals("NodesStale")).orElse(false), WAIT)).isTrue();
        assertThat(enforced("deny-metadata").orElseThrow().getMessage())
                .isEqualTo("2/3 nodes, generation 1; stale: n3 (no heartbeat for over 3s)");
        assertThat(await(() -> events(PolicyEvents.NOT_ENFORCED).size() == 1, WAIT)).isTrue();
        Thread.sleep(1500);
        List<Event> warnings = new ArrayList<>(events(PolicyEvents.NOT_ENFORCED));
        assertThat(warnings).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web-from-db");
            assertThat(e.getMessage()).isEqualTo("no longer enforced everywhere: 2/3 nodes, generation 1; "
                    + "stale: n3 (no heartbeat for over 3s)");
        });
    }

    @Test
    void aNodeWhoseAppliesFailLagsWithItsErrorAndTheNetworkPolicyGetsAWarningAfterTheStaleLimit() throws Exception {
        awaitEveryAgent(l -> true);
        dataplanes.get("n3").failNext(1_000);
        fixture.kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
        long applied = System.nanoTime();
        for (String n : List.of("n1", "n2")) {
            dataplanes.get(n).awaitApplied(r -> TestingRenderer.lines(r).contains("policy dev/web-from-db"), WAIT);
        }

        assertThat(await(() -> annotation("web-from-db") != null
                && annotation("web-from-db").startsWith("2/3 nodes, generation 1; lagging: n3"), WAIT))
                .as("annotation %s", annotation("web-from-db")).isTrue();
        assertThat(await(() -> events(PolicyEvents.NOT_ENFORCED).size() == 1, WAIT)).isTrue();
        long warned = (System.nanoTime() - applied) / 1_000_000;
        assertThat(warned).as("the warning waits for the stale limit").isGreaterThanOrEqualTo(
                STALE_AFTER.toMillis() - 500);
        assertThat(events(PolicyEvents.NOT_ENFORCED)).singleElement().satisfies(e -> assertThat(e.getMessage())
                .startsWith("not enforced everywhere 3s after it changed: 2/3 nodes, generation 1; lagging: n3 (")
                .contains("its syncs fail"));
        assertThat(events(PolicyEvents.ENFORCED)).isEmpty();
    }
}
