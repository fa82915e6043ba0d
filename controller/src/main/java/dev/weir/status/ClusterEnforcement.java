package dev.weir.status;

import dev.weir.graph.PolicyCompiler;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.admin.ClusterPolicyManifests;
import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link Enforcement} of the policies in {@link ClusterObjects} read from a cluster: the policies' versions from
 * their metadata, the nodes from the Node objects, the reports, and the span from the pods compiled as an agent
 * compiles them (translated as agents translate them; pods without an address are not judged, as on the node).
 * Pure, given the objects.
 */
public final class ClusterEnforcement {

    private ClusterEnforcement() {
    }

    /** The enforcement of those policies {@code wanted} selects; every node. */
    public static Enforcement of(ClusterObjects cluster, Predicate<ObjectKey> wanted, Instant now,
            Duration staleAfter) {
        List<ClusterObject> objects = new ArrayList<>();
        cluster.namespaces().forEach(n -> ModelTranslator.namespace(n).value().ifPresent(objects::add));
        cluster.nodes().forEach(n -> ModelTranslator.node(n).value().ifPresent(objects::add));
        cluster.pods().forEach(p -> ModelTranslator.pod(p).value().ifPresent(objects::add));
        cluster.networkPolicies().forEach(p -> ModelTranslator.networkPolicy(p).value().ifPresent(objects::add));
        cluster.clusterNetworkPolicies().forEach(p -> ClusterPolicyManifests.translate(p).value()
                .ifPresent(objects::add));
        Span span = GraphSpan.of(PolicyCompiler.compile(ClusterSnapshot.of(objects)));

        List<PolicyObject> policies = new ArrayList<>();
        cluster.networkPolicies().forEach(p -> {
            String ns = p.getMetadata().getNamespace();
            policies.add(version(ObjectKey.networkPolicy(ns == null || ns.isEmpty()
                    ? ModelTranslator.DEFAULT_NAMESPACE : ns, p.getMetadata().getName()), p));
        });
        cluster.clusterNetworkPolicies().forEach(p -> policies.add(version(
                ObjectKey.clusterNetworkPolicy(p.getMetadata().getName()), p)));
        return Enforcement.compute(policies.stream().filter(p -> wanted.test(p.key())).toList(),
                cluster.nodes().stream().map(n -> n.getMetadata().getName()).toList(),
                cluster.reports().stream().map(NodeReports::read).toList(), span, now, staleAfter);
    }

    private static PolicyObject version(ObjectKey key, HasMetadata object) {
        return new PolicyObject(key, object.getMetadata().getUid(), object.getMetadata().getGeneration());
    }
}
