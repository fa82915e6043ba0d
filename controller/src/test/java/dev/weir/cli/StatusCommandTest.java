package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code weir status} against fabric8's mock API server holding policies, pods, nodes and reports written directly. */
class StatusCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    /** Three nodes; shop/web selects a pod on n1 and on n2, shop/db one on n3, the CNP every pod. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n2}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n3}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other, labels: {kubernetes.io/metadata.name: other}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec: {nodeName: n1, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.0.1.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-2, namespace: shop, labels: {app: web}}
            spec: {nodeName: n2, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
            status: {podIP: 10.0.2.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec: {nodeName: n3, containers: [{name: c, image: i}]}
            status: {podIP: 10.0.3.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: x, namespace: other}
            spec: {nodeName: n1, containers: [{name: c, image: i}]}
            status: {podIP: 10.0.1.3, phase: Running}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db, namespace: shop}
            spec: {podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: other}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: no-metadata}
            spec:
              tier: Admin
              priority: 10
              subject: {namespaces: {}}
              egress:
              - name: deny-metadata
                action: Deny
                to: [{networks: [169.254.169.254/32]}]
            """;

    private static final String WEB = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            spec: {podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 80}]}]}
            """;

    @TempDir
    Path dir;
    private MockApi api;
    private HasMetadata web;

    @BeforeEach
    void cluster() throws Exception {
        api = new MockApi(dir);
        api.create(CLUSTER);
        web = api.create(WEB);
    }

    @AfterEach
    void close() {
        api.close();
    }

    private CliRun status(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--kubeconfig", api.kubeconfig()));
        return CliRun.weir(new StatusCommand(Clock.fixed(NOW, ZoneOffset.UTC)), argv.toArray(String[]::new));
    }

    private JsonNode json(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-o", "json"));
        CliRun r = status(argv.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return Serialization.jsonMapper().readTree(r.out());
    }

    private long gen() {
        return web.getMetadata().getGeneration() == null ? 1 : web.getMetadata().getGeneration();
    }

    /** An alive agent's report: heartbeat {@code ago} seconds ago; {@code policies} as JSON objects. */
    private void report(String node, int ago, String extra, String... policies) {
        api.report(node, """
                {"agentVersion":"0.9.0","heartbeatIntervalSeconds":60,"lastHeartbeatTime":"%s",
                 "lastAppliedTime":"%s","rulesetHash":"00aa11bb22cc33dd","policyCount":%d,
                 "policies":[%s]%s}""".formatted(NOW.minusSeconds(ago), NOW.minusSeconds(ago + 30), policies.length,
                String.join(",", policies), extra));
    }

    private String webAt(long generation) {
        return """
                {"kind":"NetworkPolicy","namespace":"shop","name":"web","uid":"%s","generation":%d,
                 "appliedTime":"%s"}""".formatted(web.getMetadata().getUid(), generation, NOW.minusSeconds(40));
    }

    @Test
    void aPolicyEnforcedOnEveryNodeThatRunsItsPods() {
        report("n1", 5, "", webAt(gen()));
        report("n2", 5, "", webAt(gen()));
        report("n3", 5, "");

        JsonNode p = json("networkpolicy/web").path("policies").get(0);
        assertThat(p.path("enforced").asString()).isEqualTo("2/2");
        assertThat(p.path("name").asString()).isEqualTo("web");
        assertThat(p.path("namespace").asString()).isEqualTo("shop");
        assertThat(p.path("generation").asLong()).isEqualTo(gen());
        assertThat(p.path("nodes").path("n1").path("state").asString()).isEqualTo("enforcing");
        assertThat(p.path("nodes").has("n3")).as("no pod of web runs on n3").isFalse();
        assertThat(p.path("lagging").isEmpty()).isTrue();

        CliRun text = status("np/web");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).isEqualTo("NetworkPolicy shop/web: enforced on 2 of 2 nodes (generation " + gen()
                + ")\n");
    }

    @Test
    void aLaggingNodeIsNamedWithTheGenerationItEnforcesAndItsError() {
        report("n1", 5, "", webAt(gen()));
        report("n2", 5, """
                ,"consecutiveFailures":3,"lastFailure":{"time":"%s","message":"iptables-restore: line 7 failed\\nmore"}"""
                .formatted(NOW.minusSeconds(2)), webAt(gen() - 1));
        report("n3", 5, "");

        JsonNode out = json("np/web");
        JsonNode p = out.path("policies").get(0);
        assertThat(p.path("enforced").asString()).isEqualTo("1/2");
        assertThat(p.path("lagging").toString()).isEqualTo("[\"n2\"]");
        JsonNode n2 = p.path("nodes").path("n2");
        assertThat(n2.path("reason").asString()).isEqualTo("OlderGeneration");
        assertThat(n2.path("generation").asLong()).isEqualTo(gen() - 1);
        assertThat(n2.path("failure").path("message").asString()).isEqualTo("iptables-restore: line 7 failed\nmore");

        String text = status("np/web").out();
        assertThat(text).isEqualTo("NetworkPolicy shop/web: enforced on 1 of 2 nodes (generation " + gen() + ")\n"
                + "  n2: lagging, enforces generation " + (gen() - 1)
                + "; its syncs fail: iptables-restore: line 7 failed\n");
    }

    @Test
    void staleNodesAreNamedAndNotCounted() {
        report("n1", 5, "", webAt(gen()));
        report("n2", 600, "", webAt(gen()));
        // n3 never reported

        JsonNode out = json();
        JsonNode p = policy(out, "NetworkPolicy", "web");
        assertThat(p.path("enforced").asString()).isEqualTo("1/2");
        assertThat(p.path("stale").toString()).isEqualTo("[\"n2\"]");
        assertThat(p.path("nodes").path("n2").path("reason").asString()).isEqualTo("Silent");
        assertThat(policy(out, "NetworkPolicy", "db").path("nodes").path("n3").path("reason").asString())
                .isEqualTo("NoReport");
        assertThat(out.path("nodes").get(1).path("state").asString()).isEqualTo("stale");
        assertThat(out.path("nodes").get(2).path("state").asString()).isEqualTo("stale");

        String text = status().out();
        assertThat(text).contains("NetworkPolicy shop/web: enforced on 1 of 2 nodes (generation " + gen() + ")\n"
                + "  n2: stale, last heartbeat 10m ago (not counted)\n");
        assertThat(text).contains("NetworkPolicy shop/db: enforced on 0 of 1 node (generation 1)\n"
                + "  n3: stale, no report (not counted)\n");
    }

    @Test
    void theNodeTableShowsLastApplyAndErrors() {
        report("n1", 5, "", webAt(gen()));
        report("n2", 5, """
                ,"consecutiveFailures":3,"lastFailure":{"time":"%s","message":"ipset: kernel error"}"""
                .formatted(NOW.minusSeconds(2)), webAt(gen()));
        report("n3", 5, """
                ,"consecutiveFailures":0,"lastFailure":{"time":"%s","message":"netlink busy"}"""
                .formatted(NOW.minusSeconds(7200)));

        CliRun r = status("nodes");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                NODE  STATUS   HEARTBEAT  LAST APPLY  POLICIES  AGENT  ERROR
                n1    ok       5s ago     35s ago     1         0.9.0
                n2    failing  5s ago     35s ago     1         0.9.0  3 failed syncs, last 2s ago: ipset: kernel error
                n3    ok       5s ago     35s ago     0         0.9.0  recovered; last failure 2h ago: netlink busy
                """);
        JsonNode n2 = json("nodes").path("nodes").get(1);
        assertThat(n2.path("state").asString()).isEqualTo("failing");
        assertThat(n2.path("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(n2.path("lastFailure").path("message").asString()).isEqualTo("ipset: kernel error");
        assertThat(n2.path("lastAppliedTime").asString()).isEqualTo(NOW.minusSeconds(35).toString());
        assertThat(json("nodes").path("policies").isEmpty()).isTrue();
    }

    @Test
    void withoutArgumentsTheContextNamespaceAndEveryClusterPolicy() {
        report("n1", 5, "", webAt(gen()));

        JsonNode out = json();
        assertThat(out.path("policies").valueStream().map(p -> p.path("kind").asString() + " "
                + p.path("name").asString()).toList())
                .containsExactly("NetworkPolicy db", "NetworkPolicy web", "ClusterNetworkPolicy no-metadata");
        assertThat(json("-n", "other").path("policies").valueStream().map(p -> p.path("name").asString()).toList())
                .containsExactly("deny", "no-metadata");
        assertThat(json("-A").path("policies").size()).isEqualTo(4);
        assertThat(out.path("nodes").size()).isEqualTo(3);
    }

    @Test
    void aClusterNetworkPolicy() {
        HasMetadata cnp = api.client().genericKubernetesResources("policy.networking.k8s.io/v1alpha2",
                "ClusterNetworkPolicy").withName("no-metadata").get();
        String entry = """
                {"kind":"ClusterNetworkPolicy","name":"no-metadata","uid":"%s","generation":%d}"""
                .formatted(cnp.getMetadata().getUid(), cnp.getMetadata().getGeneration() == null ? 1
                        : cnp.getMetadata().getGeneration());
        report("n1", 5, "", entry);
        report("n2", 5, "", entry);
        report("n3", 5, "");

        JsonNode p = json("cnp/no-metadata").path("policies").get(0);
        assertThat(p.path("kind").asString()).isEqualTo("ClusterNetworkPolicy");
        assertThat(p.has("namespace")).isFalse();
        assertThat(p.path("enforced").asString()).isEqualTo("2/3");
        assertThat(p.path("nodes").path("n3").path("reason").asString()).isEqualTo("NotListed");
        assertThat(status("clusternetworkpolicy/no-metadata").out()).isEqualTo(
                "ClusterNetworkPolicy no-metadata: enforced on 2 of 3 nodes (generation 1)\n"
                        + "  n3: lagging, not in its last applied ruleset\n");
    }

    @Test
    void aRejectedPolicyIsSaidOnce() {
        String rejected = """
                ,"rejectedCount":1,"rejected":[{"kind":"NetworkPolicy","namespace":"shop","name":"web","uid":"%s",
                 "generation":%d,"message":"spec.ingress[0].ports[0].port: named port too long"}]"""
                .formatted(web.getMetadata().getUid(), gen());
        report("n1", 5, rejected);
        report("n2", 5, rejected);

        assertThat(status("np/web").out()).isEqualTo("NetworkPolicy shop/web: rejected, enforced nowhere (generation "
                + gen() + "): spec.ingress[0].ports[0].port: named port too long\n");
        assertThat(json("np/web").path("policies").get(0).path("rejection").asString())
                .isEqualTo("spec.ingress[0].ports[0].port: named port too long");
    }

    @Test
    void aPolicyThatIsNotThereAndBadArguments() {
        CliRun missing = status("np/nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("NetworkPolicy shop/nope not found");
        assertThat(status("deployment/x").exit()).isEqualTo(2);
        assertThat(status("web").exit()).isEqualTo(2);
        assertThat(status("-o", "yaml").exit()).isEqualTo(2);
        assertThat(status("-A", "-n", "x").exit()).isEqualTo(2);
    }

    @Test
    void withoutTheReportKindEveryNodeIsStaleAndANoteSaysWhy() throws Exception {
        try (MockApi bare = new MockApi(dir, false)) {
            bare.create(CLUSTER);
            CliRun r = CliRun.weir(new StatusCommand(Clock.fixed(NOW, ZoneOffset.UTC)), "np/db", "--kubeconfig",
                    bare.kubeconfig());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("note: NodePolicyReport is not served");
            assertThat(r.out()).isEqualTo("NetworkPolicy shop/db: enforced on 0 of 1 node (generation 1)\n"
                    + "  n3: stale, no report (not counted)\n");
        }
    }

    private static JsonNode policy(JsonNode out, String kind, String name) {
        return out.path("policies").valueStream()
                .filter(p -> p.path("kind").asString().equals(kind) && p.path("name").asString().equals(name))
                .findFirst().orElseThrow();
    }
}
