package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ClusterPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The informer caches keep trimmed copies, and the agent translates whichever it is handed (a watch event's full
 * object, or the cached copy on a first list, a resync or an inferred delete): the two must translate exactly alike,
 * diagnostics and their field paths included, for every kind.
 */
class ObjectTrimmerTest {

    // ---- pods

    static Stream<Named<Pod>> pods() { // CompactPodStoreTest reads them too
        List<Named<Pod>> out = new ArrayList<>();
        // realistic Deployment pods; every 100th is hostNetwork (index 99, 199, ...)
        IntStream.of(0, 1, 2, 3, 99, 199).forEach(i -> out.add(Named.of("realistic pod " + i,
                RealisticObjects.pod(i, 10, 4))));
        out.add(named("dual-stack podIPs", """
                metadata: {name: ds, namespace: dev, uid: u1, resourceVersion: "7", labels: {app: web}}
                spec:
                  nodeName: n1
                  containers:
                  - {name: a, image: x, ports: [{name: http, containerPort: 80}, {containerPort: 53, protocol: UDP}]}
                status:
                  phase: Running
                  podIP: 10.0.0.5
                  podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]
                  conditions: [{type: Ready, status: "True"}]
                """));
        out.add(named("podIP without podIPs", """
                metadata: {name: old, namespace: dev, uid: u2, resourceVersion: "8"}
                spec: {nodeName: n2, containers: [{name: a, image: x}]}
                status: {phase: Running, podIP: 10.0.0.6}
                """));
        out.add(named("hostNetwork with named ports", """
                metadata: {name: hn, namespace: kube-system, uid: u3, resourceVersion: "9", labels: {k8s-app: proxy}}
                spec:
                  hostNetwork: true
                  nodeName: n1
                  containers: [{name: a, image: x, ports: [{name: metrics, containerPort: 10249, hostPort: 10249}]}]
                status: {phase: Running, podIP: 192.168.0.10, podIPs: [{ip: 192.168.0.10}], hostIP: 192.168.0.10}
                """));
        for (String phase : List.of("Pending", "Succeeded", "Failed", "Unknown")) {
            out.add(named("phase " + phase, """
                    metadata: {name: p, namespace: dev, uid: u4, resourceVersion: "10"}
                    spec: {nodeName: n1, containers: [{name: a, image: x, ports: [{containerPort: 8080}]}]}
                    status: {phase: %s, podIPs: [{ip: 10.0.0.7}]}
                    """.formatted(phase)));
        }
        out.add(named("no status and no IP (pending, unscheduled)", """
                metadata: {name: fresh, namespace: dev, labels: {app: web}}
                spec: {containers: [{name: a, image: x}]}
                """));
        out.add(named("init container ports, a container without ports between two with", """
                metadata: {name: init, namespace: dev, uid: u5, resourceVersion: "11"}
                spec:
                  nodeName: n1
                  initContainers: [{name: i, image: x, ports: [{name: setup, containerPort: 7000, protocol: SCTP}]}]
                  containers:
                  - {name: a, image: x, ports: [{name: http, containerPort: 80}]}
                  - {name: b, image: x, env: [{name: A, value: b}]}
                  - {name: c, image: x, ports: [{name: grpc, containerPort: 9000}]}
                status: {phase: Running, podIPs: [{ip: 10.0.0.8}]}
                """));
        out.add(named("invalid: bad port, bad port name, bad protocol, bad IP (diagnostics keep their paths)", """
                metadata: {name: bad, namespace: dev, uid: u6, resourceVersion: "12"}
                spec:
                  nodeName: n1
                  containers:
                  - {name: a, image: x}
                  - {name: b, image: x, ports: [{containerPort: 0}, {name: Not_Valid, containerPort: 81},
                      {containerPort: 82, protocol: ICMP}]}
                status: {phase: Running, podIPs: [{ip: 10.0.0.300}]}
                """));
        out.add(named("creation time with fractional seconds and an offset", """
                metadata: {name: t, namespace: dev, uid: u8, resourceVersion: "14",
                  creationTimestamp: "2026-05-01T12:00:00.5+02:00"}
                spec: {nodeName: n1, containers: [{name: a, image: x}]}
                status: {phase: Running, podIP: 10.0.0.10}
                """));
        out.add(named("unreadable creation time (a warning naming the field)", """
                metadata: {name: u, namespace: dev, uid: u9, resourceVersion: "15", creationTimestamp: yesterday}
                spec: {nodeName: n1, containers: [{name: a, image: x}]}
                status: {phase: Running, podIP: 10.0.0.11}
                """));
        out.add(named("invalid name", """
                metadata: {name: Bad_Name, namespace: dev, uid: u7, resourceVersion: "13"}
                spec: {containers: [{name: a, image: x}]}
                status: {phase: Running, podIP: 10.0.0.9}
                """));
        return out.stream();
    }

    private static Named<Pod> named(String name, String yaml) {
        return Named.of(name, Serialization.unmarshal("apiVersion: v1\nkind: Pod\n" + yaml, Pod.class));
    }

    @ParameterizedTest
    @MethodSource("pods")
    void aTrimmedPodTranslatesAsTheFullOne(Pod full) {
        Pod trimmed = ObjectTrimmer.pod(full);
        assertThat(trimmed.getMetadata().getCreationTimestamp()).as("decides who holds a shared address")
                .isEqualTo(full.getMetadata().getCreationTimestamp());
        assertThat(ModelTranslator.pod(trimmed)).isEqualTo(ModelTranslator.pod(full));
        assertSameIdentity(trimmed, full);
    }

    // ---- namespaces

    static Stream<Named<Namespace>> namespaces() {
        return Stream.of(
                Named.of("realistic namespace", RealisticObjects.parse(RealisticObjects.namespaceJson(3),
                        Namespace.class)),
                Named.of("no labels", Serialization.unmarshal("""
                        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bare","uid":"n1",
                         "resourceVersion":"1"},"status":{"phase":"Terminating"}}""", Namespace.class)),
                Named.of("invalid name", Serialization.unmarshal("""
                        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Not.A.Namespace"}}""",
                        Namespace.class)),
                Named.of("denial log off, among other annotations", Serialization.unmarshal("""
                        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"quiet","annotations":{
                         "weir.dev/log-denials":"false","note":"x"}}}""", Namespace.class)),
                Named.of("denial log annotation unreadable (a warning)", Serialization.unmarshal("""
                        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"loud","annotations":{
                         "weir.dev/log-denials":"yes"}}}""", Namespace.class)));
    }

    @ParameterizedTest
    @MethodSource("namespaces")
    void aTrimmedNamespaceTranslatesAsTheFullOne(Namespace full) {
        Namespace trimmed = ObjectTrimmer.namespace(full);
        assertThat(ModelTranslator.namespace(trimmed)).isEqualTo(ModelTranslator.namespace(full));
        assertSameIdentity(trimmed, full);
    }

    @Test
    void aTrimmedNamespaceKeepsOnlyTheDenialLogAnnotation() {
        Namespace trimmed = ObjectTrimmer.namespace(namespaces().toList().get(3).getPayload());
        assertThat(trimmed.getMetadata().getAnnotations()).containsExactly(java.util.Map.entry(
                ModelTranslator.LOG_DENIALS_ANNOTATION, "false"));
        assertThat(ModelTranslator.namespace(trimmed).value().orElseThrow().denialLogging())
                .isEqualTo(dev.weir.model.DenialLogging.OFF);
        assertThat(ModelTranslator.namespace(namespaces().toList().get(4).getPayload()).diagnostics())
                .as("the unreadable case really warns").isNotEmpty();
    }

    // ---- network policies

    static Stream<Named<NetworkPolicy>> policies() {
        List<Named<NetworkPolicy>> out = new ArrayList<>();
        IntStream.range(0, 4).forEach(p -> out.add(Named.of("realistic policy shape " + p,
                RealisticObjects.policy(p, 10))));
        out.add(Named.of("invalid: /33 and endPort below port", Serialization.unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: dev, uid: p1, resourceVersion: "3", generation: 2,
                  annotations: {note: x}}
                spec:
                  podSelector: {}
                  ingress:
                  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]
                    ports: [{port: 90, endPort: 80}]
                """, NetworkPolicy.class)));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aTrimmedPolicyTranslatesAsTheFullOne(NetworkPolicy full) {
        NetworkPolicy trimmed = ObjectTrimmer.networkPolicy(full);
        assertThat(ModelTranslator.networkPolicy(trimmed)).isEqualTo(ModelTranslator.networkPolicy(full));
        assertSameIdentity(trimmed, full);
        assertThat(trimmed.getMetadata().getGeneration()).isEqualTo(full.getMetadata().getGeneration());
        assertThat(trimmed.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    // ---- nodes

    static Stream<Named<Node>> nodes() {
        return Stream.of(
                Named.of("realistic node", RealisticObjects.parse(RealisticObjects.nodeJson(7), Node.class)),
                Named.of("dual-stack with ExternalIP", Serialization.unmarshal("""
                        apiVersion: v1
                        kind: Node
                        metadata: {name: ds, uid: d1, resourceVersion: "4", labels: {role: infra}}
                        status:
                          addresses: [{type: InternalIP, address: 192.168.1.4}, {type: InternalIP, address: "fd00::4"},
                            {type: ExternalIP, address: 203.0.113.4}, {type: Hostname, address: ds}]
                          images: [{names: [a], sizeBytes: 1}]
                        """, Node.class)),
                Named.of("malformed address", Serialization.unmarshal("""
                        apiVersion: v1
                        kind: Node
                        metadata: {name: bad, uid: d2, resourceVersion: "5"}
                        status: {addresses: [{type: Hostname, address: bad}, {type: InternalIP, address: 10.1.1}]}
                        """, Node.class)),
                Named.of("no status", Serialization.unmarshal("""
                        apiVersion: v1
                        kind: Node
                        metadata: {name: new, uid: d3, resourceVersion: "6"}
                        """, Node.class)));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void aTrimmedNodeTranslatesAsTheFullOne(Node full) {
        Node trimmed = ObjectTrimmer.node(full);
        assertThat(ModelTranslator.node(trimmed)).isEqualTo(ModelTranslator.node(full));
        assertSameIdentity(trimmed, full);
    }

    // ---- cluster network policies

    static Stream<Named<dev.weir.crd.ClusterNetworkPolicy>> clusterPolicies() {
        return Stream.of(
                Named.of("realistic cluster policy", RealisticObjects.parse(RealisticObjects.clusterPolicyJson(1),
                        dev.weir.crd.ClusterNetworkPolicy.class)),
                Named.of("rejected: no priority, a bad CIDR", Serialization.unmarshal("""
                        apiVersion: policy.networking.k8s.io/v1alpha2
                        kind: ClusterNetworkPolicy
                        metadata: {name: bad, uid: c1, resourceVersion: "2", generation: 3}
                        spec:
                          tier: Admin
                          subject: {namespaces: {}}
                          egress: [{action: Deny, to: [{networks: [10.0.0.0/33]}]}]
                        status: {conditions: [{type: Accepted, status: "False", reason: Invalid, message: m}]}
                        """, dev.weir.crd.ClusterNetworkPolicy.class)),
                Named.of("logged rules, one unknown (a warning), among other annotations", Serialization.unmarshal("""
                        apiVersion: policy.networking.k8s.io/v1alpha2
                        kind: ClusterNetworkPolicy
                        metadata:
                          name: logged
                          uid: c2
                          resourceVersion: "3"
                          generation: 1
                          annotations: {weir.dev/log-rules: "ok, egress[1], nope", kubectl.kubernetes.io/x: "{}"}
                        spec:
                          tier: Baseline
                          priority: 5
                          subject: {namespaces: {}}
                          egress:
                          - {name: ok, action: Accept, to: [{namespaces: {}}]}
                          - {action: Pass, to: [{networks: [10.0.0.0/8]}]}
                        """, dev.weir.crd.ClusterNetworkPolicy.class)));
    }

    @Test
    void aTrimmedClusterPolicyKeepsOnlyTheLogRulesAnnotation() {
        dev.weir.crd.ClusterNetworkPolicy full = clusterPolicies().toList().get(2).getPayload();
        dev.weir.crd.ClusterNetworkPolicy trimmed = ObjectTrimmer.clusterPolicy(full);
        assertThat(trimmed.getMetadata().getAnnotations())
                .containsOnlyKeys(ClusterPolicyTranslator.LOG_RULES_ANNOTATION);
        Translated<ClusterPolicy> t = ClusterPolicyTranslator.translate(trimmed);
        assertThat(t.value().orElseThrow().loggedRules()).extracting(Object::toString)
                .containsExactly("egress[0]", "egress[1]");
        assertThat(t.diagnostics()).as("the unknown name really warns").singleElement().asString().contains("nope");
    }

    @ParameterizedTest
    @MethodSource("clusterPolicies")
    void aTrimmedClusterPolicyTranslatesAsTheFullOne(dev.weir.crd.ClusterNetworkPolicy full) {
        dev.weir.crd.ClusterNetworkPolicy trimmed = ObjectTrimmer.clusterPolicy(full);
        Translated<ClusterPolicy> t = ClusterPolicyTranslator.translate(trimmed);
        assertThat(t).isEqualTo(ClusterPolicyTranslator.translate(full));
        assertSameIdentity(trimmed, full);
        assertThat(trimmed.getMetadata().getGeneration()).isEqualTo(full.getMetadata().getGeneration());
        assertThat(trimmed.getStatus()).isNull();
    }

    @Test
    void theRejectedClusterPolicyCaseIsRejected() {
        assertThat(ClusterPolicyTranslator.translate(clusterPolicies().toList().get(1).getPayload()))
                .matches(t -> !t.isAccepted(), "rejected");
    }

    @Test
    void theInvalidCasesReallyCarryDiagnostics() {
        // so that "equal translations" above compares diagnostics, not two empty lists
        List<Translated<?>> invalid = List.of(ModelTranslator.pod(pods().filter(n -> n.getName()
                .startsWith("invalid: bad port")).findFirst().orElseThrow().getPayload()),
                ModelTranslator.node(nodes().filter(n -> n.getName().equals("malformed address")).findFirst()
                        .orElseThrow().getPayload()));
        assertThat(invalid).allSatisfy(t -> assertThat(t.diagnostics()).isNotEmpty());
        assertThat(invalid.get(0).diagnostics()).extracting(d -> d.field()).containsExactlyInAnyOrder(
                "spec.containers[1].ports[0].containerPort", "spec.containers[1].ports[1].name",
                "spec.containers[1].ports[2].protocol", "status.podIPs[0].ip");
    }

    // ---- what goes

    @Test
    void aRealisticPodKeepsUnderATenthOfItsJson() {
        Pod full = RealisticObjects.pod(5, 10, 4);
        Pod trimmed = ObjectTrimmer.pod(full);
        int fullSize = Serialization.asJson(full).length();
        int trimmedSize = Serialization.asJson(trimmed).length();
        assertThat(trimmedSize).isLessThan(fullSize / 10);
        assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(trimmed.getSpec().getContainers()).hasSize(2)
                .allSatisfy(c -> assertThat(c.getEnv()).isNullOrEmpty());
        assertThat(trimmed.getStatus().getConditions()).isNullOrEmpty();
    }

    @Test
    void aRealisticNodeKeepsNeitherImagesNorConditions() {
        Node trimmed = ObjectTrimmer.node(RealisticObjects.parse(RealisticObjects.nodeJson(1), Node.class));
        assertThat(trimmed.getStatus().getImages()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getConditions()).isNullOrEmpty();
        assertThat(trimmed.getStatus().getAddresses()).hasSize(3);
    }

    @Test
    void theStoreKeysAsFabric8AndHoldsTrimmedCopies() {
        ItemStore<Pod> store = TrimmedItemStore.pods();
        Pod v1 = RealisticObjects.pod(0, 10, 4);
        String key = store.getKey(v1);
        assertThat(key).isEqualTo(Cache.metaNamespaceKeyFunc(v1));
        assertThat(store.put(key, v1)).isNull();
        Pod cached = store.get(key);
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(ModelTranslator.pod(cached)).isEqualTo(ModelTranslator.pod(v1));

        Pod v2 = RealisticObjects.pod(0, 10, 4);
        v2.getMetadata().setResourceVersion("999");
        // fabric8's ProcessorStore compares the returned previous version's resourceVersion to decide on an update
        assertThat(store.put(key, v2).getMetadata().getResourceVersion())
                .isEqualTo(v1.getMetadata().getResourceVersion());
        assertThat(store.values()).singleElement().extracting(p -> p.getMetadata().getResourceVersion())
                .isEqualTo("999");
        assertThat(store.remove(key)).isNotNull();
        assertThat(store.size()).isZero();
    }

    /** What the store and the translation memo key on: kind, name, namespace, uid, resourceVersion. */
    private static void assertSameIdentity(HasMetadata trimmed, HasMetadata full) {
        assertThat(trimmed.getKind()).isEqualTo(full.getKind());
        assertThat(trimmed.getApiVersion()).isEqualTo(full.getApiVersion());
        assertThat(trimmed.getMetadata().getName()).isEqualTo(full.getMetadata().getName());
        assertThat(trimmed.getMetadata().getNamespace()).isEqualTo(full.getMetadata().getNamespace());
        assertThat(trimmed.getMetadata().getUid()).isEqualTo(full.getMetadata().getUid());
        assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo(full.getMetadata().getResourceVersion());
        assertThat(Cache.metaNamespaceKeyFunc(trimmed)).isEqualTo(Cache.metaNamespaceKeyFunc(full));
    }
}
