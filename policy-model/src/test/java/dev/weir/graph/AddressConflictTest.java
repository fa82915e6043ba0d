package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two live pods claiming one address (the old Pod object still in the API after its sandbox was torn down and its IP
 * handed to a new pod): the newer pod holds the address, the older one is treated as having no such address, in every
 * group, policy list and verdict, whatever the order of events (docs/model.md, "One address, one pod").
 */
class AddressConflictTest {

    /** The old db pod, isolated by db-from-client; its IP is handed to the new web pod five minutes later. */
    private static final Endpoint OLD = pod("x", "old").label("app", "db").ip("10.0.0.5").node("n1")
            .created("2026-05-01T10:00:00Z").build();
    private static final Endpoint NEW = pod("x", "new").label("app", "web").ip("10.0.0.5").node("n1")
            .created("2026-05-01T10:05:00Z").build();
    private static final Endpoint CLIENT = pod("x", "client").label("app", "client").ip("10.0.0.9").node("n2")
            .created("2026-05-01T09:00:00Z").build();
    /** db pods admit the client; web pods admit nothing; the client may only reach db pods. */
    private static final NetworkPolicy DB_FROM_CLIENT = policy("db-from-client", "x", p -> p.select("app", "db")
            .ingressFrom(pods("app", "client")));
    private static final NetworkPolicy WEB_CLOSED = policy("web-closed", "x", p -> p.select("app", "web")
            .types(PolicyType.INGRESS));
    private static final NetworkPolicy CLIENT_TO_DB = policy("client-to-db", "x", p -> p.select("app", "client")
            .egressTo(pods("app", "db")));

    private static PolicyGraph compile(Endpoint... pods) {
        List<ClusterObject> objects = new ArrayList<>(List.of(ns("x"), DB_FROM_CLIENT, WEB_CLOSED, CLIENT_TO_DB));
        objects.addAll(List.of(pods));
        return PolicyCompiler.compile(ClusterSnapshot.of(objects));
    }

    private static String dbGroup() {
        return GroupSelector.inNamespace("x", LabelSelector.matchLabel("app", "db")).id();
    }

    @Test
    void theNewerPodHoldsASharedAddressAndTheOlderOneIsInNoGroupAndUnderNoPolicy() {
        PolicyGraph g = compile(OLD, NEW, CLIENT);
        assertThat(g.endpoint("x/new").ips()).containsExactly(IpAddress.parse("10.0.0.5"));
        assertThat(g.endpoint("x/old").ips()).isEmpty();
        assertThat(g.endpoint("x/old").isPolicyEndpoint()).isFalse();
        assertThat(g.reportedEndpoint("x/old")).isEqualTo(OLD);
        assertThat(g.displaced()).containsOnlyKeys("x/old");
        assertThat(g.displaced().get("x/old").heldBy()).containsExactlyEntriesOf(
                Map.of(IpAddress.parse("10.0.0.5"), "x/new"));
        assertThat(g.group(dbGroup()).members()).isEmpty();
        assertThat(g.isJudged("x/old")).isFalse();
        assertThat(g.policiesFor("x/new").ingress()).containsExactly("x/web-closed");
        // the client may reach db pods only: the address is the web pod's now
        Reachability r = new Reachability(g);
        assertThat(r.evaluate("x/client", "x/new", 80, Protocol.TCP).allowed()).isFalse();
        assertThat(r.evaluate("x/client", "x/new", 80, Protocol.TCP).reasons()).containsExactly(
                "egress: x/client is isolated by x/client-to-db and no rule allows it: denied",
                "ingress: x/new is isolated by x/web-closed and no rule allows it: denied");
    }

    @Test
    void withoutTheNewerPodTheOlderOneHoldsItsAddress() {
        PolicyGraph g = compile(OLD, CLIENT);
        assertThat(g.displaced()).isEmpty();
        assertThat(g.group(dbGroup()).members()).containsExactly("x/old");
        assertThat(g.policiesFor("x/old").ingress()).containsExactly("x/db-from-client");
        assertThat(new Reachability(g).evaluate("x/client", "x/old", 80, Protocol.TCP).allowed()).isTrue();
    }

    @Test
    void explainSaysWhichNewerPodHoldsTheAddress() {
        Verdict v = new Reachability(compile(OLD, NEW, CLIENT)).evaluate("x/client", "x/old", 80, Protocol.TCP);
        assertThat(v.reasons()).containsExactly(
                "egress: x/client is isolated by x/client-to-db and no rule allows it: denied",
                "ingress: x/old holds no address: its address 10.0.0.5 is held by the newer pod x/new, so no policy "
                        + "applies to it");
    }

    @Test
    void aReportedRecordIsJudgedAsTheGraphHoldsIt() {
        PolicyGraph g = compile(OLD, NEW, CLIENT);
        Reachability r = new Reachability(g);
        for (Protocol protocol : Protocol.values()) {
            assertThat(r.evaluate(CLIENT, OLD, 80, protocol)).isEqualTo(r.evaluate(CLIENT, g.endpoint("x/old"), 80,
                    protocol));
            assertThat(r.evaluate(OLD, CLIENT, 80, protocol)).isEqualTo(r.evaluate(g.endpoint("x/old"), CLIENT, 80,
                    protocol));
        }
    }

    /** Every order of the upserts, then the newer pod's delete: always the graph of a fresh compile. */
    @Test
    void theOrderOfEventsNeverMatters() {
        List<ClusterObject> objects = List.of(ns("x"), OLD, NEW, CLIENT, DB_FROM_CLIENT, WEB_CLOSED, CLIENT_TO_DB);
        PolicyGraph both = compile(OLD, NEW, CLIENT);
        PolicyGraph oldOnly = compile(OLD, CLIENT);
        for (List<ClusterObject> order : permutations(objects)) {
            IncrementalGraph g = new IncrementalGraph();
            order.forEach(o -> g.apply(new ClusterEvent.Upserted(o)));
            assertThat(g.graph()).as("%s", order.stream().map(ClusterObject::key).toList()).isEqualTo(both);
            g.apply(new ClusterEvent.Deleted(NEW.key()));
            assertThat(g.graph()).isEqualTo(oldOnly);
        }
    }

    static Stream<Arguments> newerPodGoes() {
        return Stream.of(
                Arguments.of("deleted", (Function<Endpoint, ClusterEvent>) e -> new ClusterEvent.Deleted(e.key())),
                Arguments.of("Succeeded", (Function<Endpoint, ClusterEvent>) e -> new ClusterEvent.Upserted(
                        new Endpoint(e.namespace(), e.name(), e.labels(), e.ips(), e.node(), false,
                                PodPhase.SUCCEEDED, e.ports(), e.created()))),
                Arguments.of("given another IP", (Function<Endpoint, ClusterEvent>) e -> new ClusterEvent.Upserted(
                        e.withIps(List.of(IpAddress.parse("10.0.0.6"))))));
    }

    @ParameterizedTest(name = "newer pod {0}")
    @MethodSource("newerPodGoes")
    void theOlderPodGetsTheAddressBackWhenTheNewerOneLetsGo(String how, Function<Endpoint, ClusterEvent> goes) {
        IncrementalGraph g = IncrementalGraph.of(ClusterSnapshot.of(List.of(ns("x"), OLD, NEW, CLIENT,
                DB_FROM_CLIENT, WEB_CLOSED, CLIENT_TO_DB)));
        GraphDelta d = g.apply(goes.apply(NEW));
        PolicyGraph after = g.graph();
        assertThat(after.displaced()).isEmpty();
        assertThat(after.endpoint("x/old")).isEqualTo(OLD);
        assertThat(after.group(dbGroup()).members()).containsExactly("x/old");
        assertThat(after.policiesFor("x/old").ingress()).containsExactly("x/db-from-client");
        assertThat(d.membership().get(dbGroup()).added()).containsExactly("x/old");
        assertThat(d.endpointPoliciesChanged()).contains("x/old");
        assertThat(d.endpointsChanged()).contains("x/old", "x/new");
    }

    @Test
    void theNewerPodsArrivalTakesTheOlderOneOutInItsDelta() {
        IncrementalGraph g = IncrementalGraph.of(ClusterSnapshot.of(List.of(ns("x"), OLD, CLIENT, DB_FROM_CLIENT,
                WEB_CLOSED, CLIENT_TO_DB)));
        GraphDelta d = g.apply(new ClusterEvent.Upserted(NEW));
        assertThat(d.membership().get(dbGroup()).removed()).containsExactly("x/old");
        assertThat(d.endpointPoliciesChanged()).containsExactly("x/new", "x/old");
        assertThat(d.endpointsChanged()).containsExactly("x/new", "x/old");
        // the same record again changes nothing
        assertThat(g.apply(new ClusterEvent.Upserted(NEW)).isEmpty()).isTrue();
        assertThat(g.apply(new ClusterEvent.Upserted(OLD)).isEmpty()).isTrue();
    }

    static Stream<Arguments> holders() {
        return Stream.of(
                Arguments.of("the later creation time wins over the earlier", "2026-05-01T10:00:00Z",
                        "2026-05-01T10:00:01Z", "x/b", "x/a holds no address: its address 10.0.0.5 is held by the "
                                + "newer pod x/b, so no policy applies to it"),
                Arguments.of("on the same second the first name wins", "2026-05-01T10:00:00Z",
                        "2026-05-01T10:00:00Z", "x/a", "x/b holds no address: its address 10.0.0.5 is held by x/a "
                                + "(created in the same second; the first name holds it), so no policy applies to it"),
                Arguments.of("a known creation time wins over an unknown one", null, "2026-05-01T10:00:00Z", "x/b",
                        "x/a holds no address: its address 10.0.0.5 is held by the newer pod x/b, so no policy "
                                + "applies to it"),
                Arguments.of("with both times unknown the first name wins", null, null, "x/a", "x/b holds no "
                        + "address: its address 10.0.0.5 is held by x/a (neither creation time is known; the first "
                        + "name holds it), so no policy applies to it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holders")
    void whoHoldsASharedAddress(String rule, String createdA, String createdB, String holder, String loserReason) {
        Fixtures.PodBuilder a = pod("x", "a").label("app", "db").ip("10.0.0.5");
        Fixtures.PodBuilder b = pod("x", "b").label("app", "db").ip("10.0.0.5");
        if (createdA != null) {
            a.created(createdA);
        }
        if (createdB != null) {
            b.created(createdB);
        }
        String loser = holder.equals("x/a") ? "x/b" : "x/a";
        Cluster c = cluster().with(ns("x")).with(a).with(b).with(pod("x", "client").label("app", "client"))
                .with(DB_FROM_CLIENT);
        PolicyGraph g = c.graph();
        assertThat(g.group(dbGroup()).members()).containsExactly(holder);
        assertThat(g.displaced()).containsOnlyKeys(loser);
        assertThat(c.verdict(loser, "x/client", 80, Protocol.TCP).reasons()).first()
                .isEqualTo("egress: " + loserReason);
    }

    @Test
    void aDualStackPodKeepsTheAddressNoNewerPodClaims() {
        Endpoint old = pod("x", "old").label("app", "db").ip("10.0.0.5", "fd00::5").created("2026-05-01T10:00:00Z")
                .build();
        PolicyGraph g = compile(old, NEW, CLIENT);
        assertThat(g.endpoint("x/old").ips()).containsExactly(IpAddress.parse("fd00::5"));
        assertThat(g.group(dbGroup()).members()).containsExactly("x/old");
        assertThat(g.policiesFor("x/old").ingress()).containsExactly("x/db-from-client");
        assertThat(g.displaced().get("x/old").heldBy()).containsOnlyKeys(IpAddress.parse("10.0.0.5"));
    }

    @Test
    void aDualStackPodCanLoseEachAddressToAnotherPod() {
        Endpoint old = pod("x", "old").label("app", "db").ip("10.0.0.5", "fd00::5").created("2026-05-01T10:00:00Z")
                .build();
        Endpoint other = pod("x", "a-v6").ip("fd00::5").created("2026-05-01T10:00:00Z").build();
        Verdict v = new Reachability(compile(old, NEW, other, CLIENT)).evaluate("x/old", "x/client", 80,
                Protocol.TCP);
        assertThat(v.egress().explanation()).isEqualTo("egress: x/old holds no address: its address 10.0.0.5 is "
                + "held by the newer pod x/new and fd00::5 by x/a-v6 (created in the same second; the first name "
                + "holds it), so no policy applies to it");
    }

    @Test
    void hostNetworkAndFinishedPodsClaimNoAddress() {
        Endpoint hostNetwork = pod("x", "host").ip("10.0.0.5").hostNetwork().created("2026-05-01T11:00:00Z").build();
        Endpoint finished = pod("x", "done").ip("10.0.0.5").phase(PodPhase.FAILED).created("2026-05-01T11:00:00Z")
                .build();
        Endpoint otherHost = pod("x", "host-2").ip("10.0.0.5").hostNetwork().created("2026-05-01T11:00:00Z")
                .build();
        PolicyGraph g = compile(OLD, hostNetwork, finished, otherHost, CLIENT);
        assertThat(g.displaced()).isEmpty();
        assertThat(g.endpoint("x/old")).isEqualTo(OLD);
        assertThat(g.endpoint("x/host")).isEqualTo(hostNetwork);
        assertThat(g.group(dbGroup()).members()).containsExactly("x/old");
    }

    /** A tracked flow to the address is the newer pod's: web-closed denies it, though db-from-client admits it. */
    @Test
    void aTrackedFlowToASharedAddressIsJudgedAsTheNewerPods() {
        PolicyGraph g = compile(OLD, NEW, CLIENT);
        TrackedFlow flow = TrackedFlow.of(Protocol.TCP, IpAddress.parse("10.0.0.9"), 40000,
                IpAddress.parse("10.0.0.5"), 80);
        assertThat(FlowRevocation.denied(g, "n1", List.of(flow))).containsExactly(flow);
        assertThat(FlowRevocation.denied(compile(OLD, CLIENT), "n1", List.of(flow))).isEmpty();
    }

    @Test
    void theClaimsOfDeletedPodsAreForgotten() {
        IncrementalGraph g = new IncrementalGraph();
        g.apply(new ClusterEvent.Upserted(ns("x")));
        g.apply(new ClusterEvent.Upserted(DB_FROM_CLIENT));
        g.apply(new ClusterEvent.Upserted(OLD));
        g.apply(new ClusterEvent.Upserted(NEW));
        g.apply(new ClusterEvent.Deleted(ObjectKey.pod("x", "old")));
        g.apply(new ClusterEvent.Deleted(ObjectKey.pod("x", "new")));
        g.apply(new ClusterEvent.Upserted(OLD));
        assertThat(g.graph()).isEqualTo(PolicyCompiler.compile(ClusterSnapshot.of(List.of(ns("x"), DB_FROM_CLIENT,
                OLD))));
        assertThat(g.graph().group(GroupSelector.inNamespace("x", LabelSelector.matchLabel("app", "db")).id())
                .members()).containsExactly("x/old");
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
