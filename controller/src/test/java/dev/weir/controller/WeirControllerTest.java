package dev.weir.controller;

import static dev.weir.agent.Kube.allowFrom;
import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.invalidCidr;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.agent.Kube.pod;
import static dev.weir.controller.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.TestingDataplane;
import dev.weir.agent.TestingRenderer;
import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller against fabric8's mock API server in CRUD mode, beside node agents in this JVM: it alone writes the
 * {@code Accepted} condition and the {@code PolicyRejected} Events, once, whatever the number of nodes.
 */
class WeirControllerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ControllerFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ControllerFixture();
        fixture.kube.resource(namespace("dev")).create();
        fixture.kube.resource(pod("dev", "web", "10.0.0.1", "n1", "app", "web")).create();
        fixture.kube.resource(allowFrom("dev", "web-from-db", "web", "db")).create();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private List<TestingDataplane> agents(int n) throws Exception {
        List<TestingDataplane> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            TestingDataplane d = new TestingDataplane();
            fixture.agent("n" + i, d);
            out.add(d);
        }
        return out;
    }

    private static void awaitEveryNode(List<TestingDataplane> nodes, String line) throws InterruptedException {
        for (TestingDataplane d : nodes) {
            d.awaitApplied(r -> TestingRenderer.lines(r).contains(line), WAIT);
        }
    }

    private List<Event> events() {
        return fixture.kube.v1().events().inAnyNamespace().list().getItems();
    }

    private Optional<Condition> condition(String policy, String type) {
        ClusterNetworkPolicy p = fixture.kube.resources(ClusterNetworkPolicy.class).withName(policy).get();
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    @Test
    void aRejectedPolicyHasOneEventNotOnePerNode() throws Exception {
        fixture.kube.resource(invalidCidr("dev", "broken")).create();
        fixture.kube.resource(cnp("too-high", 5000)).create();
        List<TestingDataplane> nodes = agents(3);
        fixture.controller("c1");
        awaitEveryNode(nodes, "policy dev/web-from-db");

        assertThat(await(() -> events().size() >= 2, WAIT)).as("events %s", events()).isTrue();
        // more syncs of every agent, and a while for a second writer to show itself
        fixture.kube.resource(pod("dev", "db", "10.0.0.2", "n2", "app", "db")).create();
        awaitEveryNode(nodes, "group ns:dev/pods:app in (db) = 10.0.0.2");
        Thread.sleep(1000);

        assertThat(events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("PolicyRejected");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getSource().getComponent()).isEqualTo("weir-controller");
            assertThat(e.getReportingInstance()).isEqualTo("c1");
        });
        assertThat(events()).filteredOn(e -> e.getInvolvedObject().getName().equals("broken")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getMetadata().getNamespace()).isEqualTo("dev");
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("NetworkPolicy");
                    assertThat(e.getMessage()).contains("spec.ingress[0].from[0].ipBlock.cidr");
                });
        assertThat(events()).filteredOn(e -> e.getInvolvedObject().getName().equals("too-high")).singleElement()
                .satisfies(e -> {
                    // cluster-scoped objects' events live in default, where kubectl describe looks
                    assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("ClusterNetworkPolicy");
                    assertThat(e.getMessage()).contains("spec.priority");
                });
    }

    @Test
    void aNewVersionOfARejectedPolicyGetsItsOwnEvent() throws Exception {
        fixture.kube.resource(invalidCidr("dev", "broken")).create();
        fixture.controller("c1");
        assertThat(await(() -> events().size() == 1, WAIT)).isTrue();

        var broken = fixture.kube.network().v1().networkPolicies().inNamespace("dev").withName("broken").get();
        broken.getSpec().getIngress().get(0).getFrom().get(0).getIpBlock().setCidr("10.0.0.0/40");
        fixture.kube.resource(broken).update();

        assertThat(await(() -> events().size() == 2, WAIT)).as("events %s", events()).isTrue();
        assertThat(events()).anySatisfy(e -> assertThat(e.getMessage()).contains("10.0.0.0/40"));
    }

    @Test
    void everyClusterPolicyGetsItsAcceptedConditionWrittenOnceAndFollowsItsGeneration() throws Exception {
        fixture.kube.resource(cnp("deny-metadata", 10)).create();
        fixture.kube.resource(cnp("too-high", 5000)).create();
        WeirController c = fixture.controller("c1").controller();

        assertThat(await(() -> condition("deny-metadata", "Accepted").isPresent()
                && condition("too-high", "Accepted").isPresent(), WAIT)).isTrue();
        Condition ok = condition("deny-metadata", "Accepted").orElseThrow();
        assertThat(ok.getStatus()).isEqualTo("True");
        assertThat(ok.getReason()).isEqualTo("Accepted");
        assertThat(ok.getMessage()).isEqualTo("enforced by weir");
        assertThat(ok.getObservedGeneration()).isEqualTo(1L);
        assertThat(ok.getLastTransitionTime()).isNotBlank();
        Condition bad = condition("too-high", "Accepted").orElseThrow();
        assertThat(bad.getStatus()).isEqualTo("False");
        assertThat(bad.getReason()).isEqualTo("Invalid");
        assertThat(bad.getMessage()).startsWith("not enforced, invalid: spec.priority");

        // its own write comes back through the informer: it must not cause another
        String version = fixture.kube.resources(ClusterNetworkPolicy.class).withName("too-high").get().getMetadata()
                .getResourceVersion();
        Thread.sleep(1500);
        assertThat(fixture.kube.resources(ClusterNetworkPolicy.class).withName("too-high").get().getMetadata()
                .getResourceVersion()).isEqualTo(version);
        assertThat(c.metrics().writes.labelValues("status").get()).isEqualTo(2);

        // fixed: a new generation, accepted
        ClusterNetworkPolicy fixedUp = fixture.kube.resources(ClusterNetworkPolicy.class).withName("too-high").get();
        fixedUp.getSpec().setPriority(20);
        fixture.kube.resource(fixedUp).update();
        assertThat(await(() -> condition("too-high", "Accepted").map(x -> x.getStatus().equals("True")
                && x.getObservedGeneration() == 2L).orElse(false), WAIT)).isTrue();
    }

    @Test
    void theControllerIsReadyOnceItsCachesHaveSyncedLeaderOrNot() throws Exception {
        WeirController first = fixture.controller("c1").controller();
        assertThat(await(first::leading, WAIT)).isTrue();
        WeirController second = fixture.controller("c2").controller();

        assertThat(await(() -> second.health().ready(), WAIT)).as(second.health().reason()).isTrue();
        assertThat(second.leading()).isFalse();
        assertThat(first.health().ready()).isTrue();
        assertThat(second.metrics().leader.get()).isZero();
        assertThat(first.metrics().leader.get()).isEqualTo(1);
    }

    @Test
    void agentsAndControllerAgreeOnWhatIsRejected() throws Exception {
        fixture.kube.resource(invalidCidr("dev", "broken")).create();
        List<TestingDataplane> nodes = agents(2);
        WeirController c = fixture.controller("c1").controller();
        awaitEveryNode(nodes, "policy dev/web-from-db");

        assertThat(await(() -> c.metrics().policiesRejected.get() == 1, WAIT)).isTrue();
        assertThat(c.metrics().policies.get()).isEqualTo(2);
        for (TestingDataplane d : nodes) {
            assertThat(TestingRenderer.text(d.last())).doesNotContain("broken");
        }
    }
}
