package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.Kube;
import dev.weir.model.ObjectKey;
import dev.weir.status.NodeReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    private static final ObjectKey WEB = new ObjectKey(ObjectKey.Kind.NETWORK_POLICY, "shop", "web");
    private static final ObjectKey DB = new ObjectKey(ObjectKey.Kind.NETWORK_POLICY, "shop", "db");

    @Test
    void aFullResyncTakesTheCachedObjectsOneAtATimeAndForgetsWhatTheyNoLongerHold() {
        ClusterView view = new ClusterView();
        List<HasMetadata> before = List.of(Kube.namespace("shop", "team", "t1"), policy("web"), policy("db"),
                Kube.pod("shop", "a", "10.0.0.1", "n1", "app", "web"));
        before.forEach(view::upsert);
        assertThat(view.keys()).containsExactly(DB, WEB);
        assertThat(view.graph().endpointsOn("n1")).hasSize(1);

        view.replaceAll(each -> {
            each.accept(Kube.namespace("shop", "team", "t1"));
            each.accept(policy("web"));
            each.accept(Kube.pod("shop", "a", "10.0.0.1", "n2", "app", "web")); // moved while the watch was away
        });

        assertThat(view.keys()).containsExactly(WEB);
        assertThat(view.verdict(DB)).isEmpty();
        assertThat(view.graph().endpointsOn("n1")).isEmpty();
        assertThat(view.graph().endpointsOn("n2")).hasSize(1);
    }

    @Test
    void aFullResyncReplacesTheReports() {
        ClusterView view = new ClusterView();
        view.report("n1", Optional.of(report("n1", 60)));
        assertThat(view.longestHeartbeat()).isEqualTo(Duration.ofSeconds(60));

        view.replaceReports(Map.of("n2", report("n2", 30)));

        assertThat(view.longestHeartbeat()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aReportSharesThePolicyKeysAndUidsTheViewHolds() {
        ClusterView view = new ClusterView();
        view.upsert(policy("web"));
        view.upsert(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .build());
        ObjectKey read = new ObjectKey(ObjectKey.Kind.NETWORK_POLICY, new String("shop"), new String("web"));
        ObjectKey unknown = new ObjectKey(ObjectKey.Kind.NETWORK_POLICY, "shop", "gone");
        NodeReport r = new NodeReport("n1", "0.1.0", Instant.parse("2026-12-07T11:00:00Z"), Duration.ofSeconds(60),
                null, null, 2, new java.util.TreeMap<>(Map.of(read, new NodeReport.Applied(new String("u-web"), 1L, null),
                        unknown, new NodeReport.Applied("u-gone", 1L, null))), null, null, 0);

        view.replaceReports(Map.of("n1", r));

        java.util.Map.Entry<ObjectKey, NodeReport.Applied> web = view.enforcement(Instant.parse(
                "2026-12-07T11:00:30Z"), Duration.ofMinutes(3)).nodes().get(0).report().orElseThrow().policies()
                .entrySet().stream().filter(e -> e.getKey().equals(WEB)).findFirst().orElseThrow();
        assertThat(web.getKey()).isSameAs(view.keys().get(0));
        assertThat(web.getValue().uid()).isSameAs(view.verdict(WEB).orElseThrow().object().getMetadata().getUid());
        assertThat(view.enforcement(Instant.parse("2026-12-07T11:00:30Z"), Duration.ofMinutes(3)).nodes().get(0)
                .report().orElseThrow().policies()).containsOnlyKeys(WEB, unknown);
    }

    private static NodeReport report(String node, int heartbeatSeconds) {
        return new NodeReport(node, "0.1.0", Instant.parse("2026-12-07T11:00:00Z"),
                Duration.ofSeconds(heartbeatSeconds), null, null, 0, null, null, null, 0);
    }

    private static NetworkPolicy policy(String name) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace("shop").withName(name).withUid("u-" + name)
                .withGeneration(1L).endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", name)
                .endPodSelector().withPolicyTypes("Ingress").endSpec().build();
    }
}
