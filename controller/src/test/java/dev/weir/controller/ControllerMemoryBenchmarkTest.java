package dev.weir.controller;

import static dev.weir.agent.LimitsMemoryBreakdown.fill;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.AgentMemoryBenchmark;
import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.CompactPodStore;
import dev.weir.agent.LimitsBenchmarkTest;
import dev.weir.agent.ObjectTranslator;
import dev.weir.agent.RealisticObjects;
import dev.weir.agent.SerializedItemStore;
import dev.weir.agent.report.EnforcedPolicies;
import dev.weir.crd.report.EnforcedPolicy;
import dev.weir.crd.report.NodePolicyReportStatus;
import dev.weir.model.ObjectKey;
import dev.weir.status.Enforcement;
import dev.weir.status.GraphSpan;
import dev.weir.status.NodeReports;
import dev.weir.status.PolicyEnforcement;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The controller's heap in the cluster of {@link LimitsBenchmarkTest} (150,000 pods, 5,000 nodes, 50,000
 * NetworkPolicies, 10,000 namespaces; {@code -Dweir.bench.scale=F} multiplies them), held as a controller replica
 * holds it: the informers' stores of {@link ControllerInformers} (pods in a {@link CompactPodStore}, namespaces and
 * nodes in {@link SerializedItemStore}s, policies in a {@link PolicyStore}), the {@link ClusterView} given every cached object as the
 * reconcile loop takes them, one {@link Enforcement} and the per-policy summaries the loop keeps, and every node's
 * {@code NodePolicyReport} as its agent publishes it (the policies {@link EnforcedPolicies} finds on the node, cut at
 * {@link NodePolicyReportStatus#MAX_POLICIES}), decoded from the wire as a generic resource, cached as {@link ReportStore} keeps it and
 * read into the view. Prints the heap in use after GC at each stage; then what a FULL resync holds on top, and what
 * reports of 100 policies a node (a denser cluster) would cost, for the chart's formula (docs/helm.md, "Controller
 * memory"). No API server: the stores are filled as a first list fills them. Opt-in:
 * {@code -Dweir.bench=true}.
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
class ControllerMemoryBenchmarkTest {

    private static final double MIB = 1024.0 * 1024.0;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Duration STALE_AFTER = Duration.ofMinutes(3);
    /** The reports' heartbeats are within the minute before this (none stale). */
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    /** Policies a node's report lists in the what-if of a denser cluster. */
    private static final int DENSE_REPORT = 100;
    /** {@code -Dweir.bench.policyShare=F}: only this share of the cluster's policies (the per-policy costs). */
    private static final int POLICIES = (int) (LimitsBenchmarkTest.POLICIES
            * Double.parseDouble(System.getProperty("weir.bench.policyShare", "1")));
    /**
     * {@code -Dweir.bench.realistic=true}: the objects as the API server sends them ({@link RealisticObjects}: managed
     * fields, kubectl's last-applied copy, owner references, more labels), same counts; the reports then list what
     * those policies select.
     */
    private static final boolean REALISTIC = Boolean.getBoolean("weir.bench.realistic");
    /** {@code -Dweir.bench.whole=true}: the policies kept whole, as before {@link PolicyStore}. */
    private static final boolean WHOLE = Boolean.getBoolean("weir.bench.whole");

    private final List<String> rows = new ArrayList<>();
    private long last;

    @Test
    void controllerAtKubernetesLimits() {
        ClusterView view = new ClusterView();
        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        reportJson(0, List.of(), 0, Map.of()); // classes loaded before the baseline
        translator.upsert(LimitsBenchmarkTest.pod(0));
        long start = AgentMemoryBenchmark.usedAfterGc();
        last = start;
        rows.add(String.format("| before the bulk (test JVM, classes) | %.1f MiB | |", start / MIB));

        List<CacheImpl<?>> caches = new ArrayList<>();
        int namespaces = LimitsBenchmarkTest.NAMESPACES;
        caches.add(fill(namespaces, REALISTIC ? i -> RealisticObjects.parse(RealisticObjects.namespaceJson(i),
                Namespace.class) : LimitsBenchmarkTest::namespace, SerializedItemStore.namespaces()));
        stage("cache: namespaces (trimmed JSON)");
        caches.add(fill(LimitsBenchmarkTest.NODES, REALISTIC ? i -> RealisticObjects.parse(
                RealisticObjects.nodeJson(i), Node.class) : LimitsBenchmarkTest::node, SerializedItemStore.nodes()));
        stage("cache: nodes (trimmed JSON)");
        caches.add(fill(LimitsBenchmarkTest.PODS, REALISTIC ? i -> RealisticObjects.pod(i, namespaces,
                LimitsBenchmarkTest.NODES) : LimitsBenchmarkTest::pod, new CompactPodStore()));
        stage("cache: pods (compact)");
        caches.add(fill(POLICIES, REALISTIC ? i -> RealisticObjects.policy(i, namespaces) : LimitsBenchmarkTest::policy,
                WHOLE ? new BasicItemStore<>(Cache::metaNamespaceKeyFunc) : PolicyStore.create()));
        stage(WHOLE ? "cache: NetworkPolicies (whole)"
                : "cache: NetworkPolicies (whole, less kubectl's copy and the managed fields: PolicyStore)");

        long t0 = System.nanoTime();
        for (CacheImpl<?> cache : caches) {
            for (String key : cache.listKeys()) {
                view.upsert((HasMetadata) cache.getByKey(key));
            }
        }
        view.graph(); // the snapshot enforcement() takes, held by the state until the next change
        long viewMs = (System.nanoTime() - t0) / 1_000_000;
        stage("view: every object translated into the graph (ClusterState, its snapshot)");

        // every node's report, as its agent would write it after applying the graph the view holds
        t0 = System.nanoTime();
        CacheImpl<GenericKubernetesResource> reports = new CacheImpl<>();
        reports.setItemStore(ReportStore.create());
        reports.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        long listed = 0;
        long enforcedPairs = 0;
        for (int n = 0; n < LimitsBenchmarkTest.NODES; n++) {
            SortedSet<ObjectKey> on = EnforcedPolicies.on(view.graph(), "n" + n);
            enforcedPairs += on.size();
            List<ObjectKey> keys = on.stream().limit(NodePolicyReportStatus.MAX_POLICIES).toList();
            listed += keys.size();
            reports.put(JSON.unmarshal(reportJson(n, keys, on.size(), view.policies()), GenericKubernetesResource.class));
        }
        long reportsBytes = stage(String.format("cache: NodePolicyReports, %,d (%,d policies listed of %,d enforced), "
                + "trimmed JSON", LimitsBenchmarkTest.NODES, listed, enforcedPairs));
        for (String key : reports.listKeys()) {
            GenericKubernetesResource r = reports.getByKey(key);
            view.report(r.getMetadata().getName(), Optional.of(NodeReports.read(r)));
        }
        long reportsMs = (System.nanoTime() - t0) / 1_000_000;
        reportsBytes += stage("view: the reports read (NodeReport)");

        t0 = System.nanoTime();
        GraphSpan.of(view.graph());
        long spanMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        Enforcement e = view.enforcement(NOW, STALE_AFTER);
        Map<ObjectKey, EnforcementSummary> summaries = new HashMap<>();
        for (PolicyEnforcement p : e.policies()) {
            summaries.put(p.policy().key(), EnforcementSummary.of(p, STALE_AFTER));
        }
        long enforcementMs = (System.nanoTime() - t0) / 1_000_000;
        long enforcement = AgentMemoryBenchmark.usedAfterGc() - last;
        int computed = e.policies().size();
        e = null; // garbage after the loop's round; the summaries stay
        long enforcing = summaries.values().stream().filter(EnforcementSummary::enforced).count();
        stage("enforcement computed once, the loop's per-policy summaries kept");
        long live = last - start;

        // a FULL resync on top of that, as it was: every cached object read back at once, then translated
        List<HasMetadata> readBack = new ArrayList<>();
        for (CacheImpl<?> cache : caches) {
            for (Object o : cache.list()) {
                readBack.add((HasMetadata) o);
            }
        }
        long resyncList = AgentMemoryBenchmark.usedAfterGc() - last;
        assertThat(readBack).hasSize(caches.stream().mapToInt(c -> c.listKeys().size()).sum());
        readBack = null;
        // and as it is: read back one at a time; measured when the view holds every translated record
        long[] resyncChanges = new long[1];
        view.replaceAll(each -> {
            for (CacheImpl<?> cache : caches) {
                for (String key : cache.listKeys()) {
                    each.accept((HasMetadata) cache.getByKey(key));
                }
            }
            resyncChanges[0] = AgentMemoryBenchmark.usedAfterGc() - last;
        });
        long afterResync = AgentMemoryBenchmark.usedAfterGc();

        // what-if: every node's report lists DENSE_REPORT policies (the cost of one listed policy)
        List<ObjectKey> all = List.copyOf(view.policies().keySet());
        for (int n = 0; n < LimitsBenchmarkTest.NODES; n++) {
            List<ObjectKey> keys = new ArrayList<>();
            for (int k = 0; k < DENSE_REPORT; k++) {
                keys.add(all.get((n * 7 + k * 131) % all.size()));
            }
            GenericKubernetesResource r = JSON.unmarshal(reportJson(n, keys, keys.size(), view.policies()),
                    GenericKubernetesResource.class);
            reports.put(r);
            view.report(r.getMetadata().getName(), Optional.of(NodeReports.read(r)));
        }
        long dense = AgentMemoryBenchmark.usedAfterGc();

        System.out.printf("cluster: %,d pods, %,d nodes, %,d policies, %,d namespaces (scale %s%s)%n",
                LimitsBenchmarkTest.PODS, LimitsBenchmarkTest.NODES, POLICIES,
                LimitsBenchmarkTest.NAMESPACES, LimitsBenchmarkTest.SCALE, REALISTIC ? ", realistic objects" : "");
        System.out.printf("JVM %s, max heap %.0f MiB, %d CPUs, load average %.1f%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / MIB, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("view filled in %,d ms, reports in %,d ms, enforcement in %,d ms (of which GraphSpan.of "
                + "%,d ms; %,d of %,d policies enforced everywhere; the Enforcement itself %.1f MiB while held)%n",
                viewMs, reportsMs, enforcementMs, spanMs, enforcing, computed, enforcement / MIB);
        System.out.println("| stage | heap after GC | added |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf("| **the controller's live heap** | **%.1f MiB** | |%n", live / MIB);
        System.out.printf("| + a FULL resync as it was: every cached object read back at once | | %.1f MiB |%n",
                resyncList / MIB);
        System.out.printf("| + a FULL resync as it is: read back one at a time, every translated record held | | "
                + "%.1f MiB |%n", resyncChanges[0] / MIB);
        System.out.printf("| after the resync | %.1f MiB | %.1f MiB |%n", afterResync / MIB, (afterResync - last) / MIB);
        long denseListed = (long) DENSE_REPORT * LimitsBenchmarkTest.NODES;
        double perListed = (double) (dense - afterResync) / (denseListed - listed);
        System.out.printf("| what-if: every report lists %d policies (%,d listed) | %.1f MiB | %.1f MiB |%n",
                DENSE_REPORT, denseListed, dense / MIB, (dense - afterResync) / MIB);
        System.out.printf("reports: %.0f bytes a listed policy (the what-if against the real reports), %.0f bytes a "
                + "node besides%n", perListed, (reportsBytes - perListed * listed) / LimitsBenchmarkTest.NODES);
        // a whole policy as this cluster has it, and as kubectl leaves it (last-applied annotation, managed fields)
        IntFunction<NetworkPolicy> applied = i -> RealisticObjects.policy(i, LimitsBenchmarkTest.NAMESPACES);
        System.out.printf("a NetworkPolicy in the cache: %.0f bytes as here, %.0f bytes as kubectl applies it "
                + "(RealisticObjects); kept by PolicyStore %.0f and %.0f bytes%n",
                policyBytes(LimitsBenchmarkTest::policy, new BasicItemStore<>(Cache::metaNamespaceKeyFunc)),
                policyBytes(applied, new BasicItemStore<>(Cache::metaNamespaceKeyFunc)),
                policyBytes(LimitsBenchmarkTest::policy, PolicyStore.create()),
                policyBytes(applied, PolicyStore.create()));
        assertThat(caches).hasSize(4); // everything stays reachable until here
        assertThat(computed).isEqualTo(POLICIES);
        assertThat(reports.listKeys()).hasSize(LimitsBenchmarkTest.NODES);
        assertThat(summaries).hasSize(POLICIES);
    }

    /** Records the heap after GC now; returns what it grew by since the last stage. */
    private long stage(String what) {
        long now = AgentMemoryBenchmark.usedAfterGc();
        long added = now - last;
        rows.add(String.format("| %s | %.1f MiB | %.1f MiB |", what, now / MIB, added / MIB));
        last = now;
        return added;
    }

    /**
     * Node {@code n}'s report as the API server serves it: the agent's status (ReportState's shape: the listed
     * policies with the uid and generation of the policy object, when first applied) and the metadata the server adds
     * (the owner reference to the Node, the managed fields of the agent's create and status writes).
     */
    private static String reportJson(int n, List<ObjectKey> keys, int count, Map<ObjectKey, HasMetadata> policies) {
        List<EnforcedPolicy> listed = new ArrayList<>();
        for (ObjectKey k : keys) {
            HasMetadata p = policies.get(k);
            int h = k.hashCode() & 0xffffff;
            listed.add(new EnforcedPolicy(k.kind().apiKind(), k.namespace(), k.name(), p.getMetadata().getUid(),
                    p.getMetadata().getGeneration(),
                    String.format("2026-12-07T10:%02d:%02d.%03dZ", h / 60 % 60, h % 60, h % 1000)));
        }
        NodePolicyReportStatus status = new NodePolicyReportStatus("0.1.0", 60,
                NOW.minusMillis(n % 60_000).toString(), NOW.minusSeconds(60).minusMillis(n % 60_000).toString(),
                String.format("%016x", 0x9e3779b97f4a7c15L * (n + 1)), count, listed, 0, List.of(), null, 0);
        String nodeUid = String.format("%08x-0000-4000-8000-%012x", 2, n);
        return """
                {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n%d",\
                "uid":"%08x-0000-4000-8000-%012x","resourceVersion":"%d","generation":1,\
                "creationTimestamp":"2026-12-07T09:00:00Z",\
                "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"n%d","uid":"%s"}],\
                "managedFields":[{"manager":"fabric8-kubernetes-client","operation":"Update",\
                "apiVersion":"weir.dev/v1alpha1","time":"2026-12-07T09:00:00Z","fieldsType":"FieldsV1",\
                "fieldsV1":{"f:metadata":{"f:ownerReferences":{".":{},"k:{\\"uid\\":\\"%s\\"}":{}}}}},\
                {"manager":"fabric8-kubernetes-client","operation":"Update","apiVersion":"weir.dev/v1alpha1",\
                "time":"2026-12-07T11:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{".":{},\
                "f:agentVersion":{},"f:consecutiveFailures":{},"f:heartbeatIntervalSeconds":{},\
                "f:lastAppliedTime":{},"f:lastHeartbeatTime":{},"f:policies":{},"f:policyCount":{},\
                "f:rejected":{},"f:rejectedCount":{},"f:rulesetHash":{}}},"subresource":"status"}]},\
                "status":%s}""".formatted(n, 5, n, 900_000 + n, n, nodeUid, nodeUid, JSON.asJson(status));
    }

    private static double policyBytes(IntFunction<NetworkPolicy> policy, ItemStore<NetworkPolicy> store) {
        int n = 10_000;
        long before = AgentMemoryBenchmark.usedAfterGc();
        CacheImpl<NetworkPolicy> cache = fill(n, policy, store);
        long after = AgentMemoryBenchmark.usedAfterGc();
        assertThat(cache.listKeys()).hasSize(n);
        return (double) (after - before) / n;
    }
}
