package dev.weir.conformance;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One conformance scenario as data: the pods of {@link NetpolCluster} it uses and the steps to run — apply or delete
 * policies, relabel pods or namespaces, and check the truth table for a port and protocol. Runners interpret the steps:
 * {@code ScenarioRunner} against {@code weir explain}'s evaluator here, the lab against real packets.
 */
public record Scenario(String name, String source, List<String> pods, List<Step> steps) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        pods = List.copyOf(pods);
        steps = List.copyOf(steps);
    }

    /** Pod addresses as the runner assigned them ({@code x/b} → {@code 10.244.1.11}), for ipBlock policies. */
    public interface Addresses {
        String of(String podKey);
    }

    /** What a runner does, in order. */
    public sealed interface Step {
    }

    /** Create or replace (by namespace and name, like kubectl apply) a policy; built from the pods' addresses. */
    public record ApplyPolicy(String describe, Function<Addresses, NetworkPolicy> policy) implements Step {
        @Override
        public String toString() {
            return "apply " + describe;
        }
    }

    public record DeletePolicy(String namespace, String name) implements Step {
    }

    /** Delete every NetworkPolicy (upstream's {@code cleanNetworkPolicies}). */
    public record DeleteAllPolicies() implements Step {
    }

    /**
     * Create or replace (by name) a ClusterNetworkPolicy ({@code policy.networking.k8s.io/v1alpha2}), given as its
     * YAML manifest, built from the pods' addresses (for {@code networks} peers).
     */
    public record ApplyClusterPolicy(String name, Function<Addresses, String> yaml) implements Step {
        @Override
        public String toString() {
            return "apply ClusterNetworkPolicy " + name;
        }
    }

    public record DeleteClusterPolicy(String name) implements Step {
    }

    /** Add (or overwrite) labels on a pod. */
    public record LabelPod(String podKey, Map<String, String> labels) implements Step {
    }

    /** Add (or overwrite) labels on a namespace. */
    public record LabelNamespace(String namespace, Map<String, String> labels) implements Step {
    }

    /** The truth table the cluster must show now for {@code target}, over the scenario's pods. */
    public record Expect(PortProtocol target, TruthTable table) implements Step {
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Parses a NetworkPolicy manifest (a text block) into the fabric8 object runners apply. */
    public static NetworkPolicy policy(String yaml) {
        return Serialization.unmarshal(yaml, NetworkPolicy.class);
    }

    public static final PortProtocol TCP_80 = new PortProtocol(80, Protocol.TCP);
    public static final PortProtocol TCP_81 = new PortProtocol(81, Protocol.TCP);
    public static final PortProtocol UDP_80 = new PortProtocol(80, Protocol.UDP);
    public static final PortProtocol UDP_81 = new PortProtocol(81, Protocol.UDP);
    public static final PortProtocol SCTP_80 = new PortProtocol(80, Protocol.SCTP);
    public static final PortProtocol SCTP_81 = new PortProtocol(81, Protocol.SCTP);

    public static final class Builder {
        private final String name;
        private String source = "upstream";
        private List<String> pods = NetpolCluster.allPods();
        private final List<Step> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Where the scenario comes from: {@code upstream} (network_policy.go, the default) or {@code weir}. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder pods(String... pods) {
            this.pods = List.of(pods);
            return this;
        }

        public Builder apply(String yaml) {
            NetworkPolicy p = policy(yaml);
            steps.add(new ApplyPolicy(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), a -> p));
            return this;
        }

        /** A policy that depends on pod addresses; {@code yaml} gets them through {@link Addresses}. */
        public Builder apply(String describe, Function<Addresses, String> yaml) {
            steps.add(new ApplyPolicy(describe, a -> policy(yaml.apply(a))));
            return this;
        }

        /** Applies a ClusterNetworkPolicy manifest ({@link Policies#cnp} writes one). */
        public Builder applyClusterPolicy(String yaml) {
            String name = Serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)
                    .getMetadata().getName();
            steps.add(new ApplyClusterPolicy(name, a -> yaml));
            return this;
        }

        /** A ClusterNetworkPolicy that depends on pod addresses. */
        public Builder applyClusterPolicy(String name, Function<Addresses, String> yaml) {
            steps.add(new ApplyClusterPolicy(name, yaml));
            return this;
        }

        public Builder deleteClusterPolicy(String name) {
            steps.add(new DeleteClusterPolicy(name));
            return this;
        }

        public Builder delete(String namespace, String name) {
            steps.add(new DeletePolicy(namespace, name));
            return this;
        }

        public Builder deleteAll() {
            steps.add(new DeleteAllPolicies());
            return this;
        }

        public Builder labelPod(String podKey, Map<String, String> labels) {
            steps.add(new LabelPod(podKey, labels));
            return this;
        }

        public Builder labelNamespace(String namespace, Map<String, String> labels) {
            steps.add(new LabelNamespace(namespace, labels));
            return this;
        }

        /** Expects the table that starts all-allowed and is then edited by {@code edits}. */
        public Builder expect(PortProtocol target, UnaryOperator<Expectation> edits) {
            steps.add(new Expect(target, edits.apply(Expectation.allowed(pods, target)).table()));
            return this;
        }

        public Scenario build() {
            return new Scenario(name, source, pods, steps);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
