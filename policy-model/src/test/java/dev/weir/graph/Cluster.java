package dev.weir.graph;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny cluster for semantics tests: add objects, compile, ask whether a packet passes. */
public final class Cluster {

    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, Endpoint> pods = new LinkedHashMap<>();
    private final Map<String, NetworkPolicy> policies = new LinkedHashMap<>();
    private final Map<String, ClusterPolicy> clusterPolicies = new LinkedHashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private IpAddress nextIp = IpAddress.parse("10.1.0.1");

    public static Cluster cluster() {
        return new Cluster().with(Fixtures.ns("default"));
    }

    public Cluster with(Namespace ns) {
        namespaces.put(ns.name(), ns);
        return this;
    }

    public Cluster without(String namespaceName) {
        namespaces.remove(namespaceName);
        return this;
    }

    public Cluster with(Fixtures.PodBuilder pod) {
        Endpoint e = pod.build(List.of(nextIp));
        nextIp = nextIp.plus(1);
        pods.put(e.key().namespacedName(), e);
        return this;
    }

    public Cluster with(NetworkPolicy policy) {
        policies.put(policy.key().namespacedName(), policy);
        return this;
    }

    public Cluster with(ClusterPolicy policy) {
        clusterPolicies.put(policy.name(), policy);
        return this;
    }

    public Cluster with(Node node) {
        nodes.put(node.name(), node);
        return this;
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(new ArrayList<>(namespaces.values()), new ArrayList<>(pods.values()),
                new ArrayList<>(policies.values()), new ArrayList<>(clusterPolicies.values()),
                new ArrayList<>(nodes.values()));
    }

    public PolicyGraph graph() {
        return PolicyCompiler.compile(snapshot());
    }

    public Verdict verdict(String src, String dst, int port, Protocol protocol) {
        return new Reachability(graph()).evaluate(src, dst, port, protocol);
    }

    public boolean allows(String src, String dst, int port, Protocol protocol) {
        return verdict(src, dst, port, protocol).allowed();
    }

    public boolean allows(String src, String dst, int port) {
        return allows(src, dst, port, Protocol.TCP);
    }

    public boolean allows(String src, String dst, int port, Protocol protocol, IpFamily family) {
        PolicyGraph g = graph();
        return new Reachability(g).evaluate(g.endpoint(src), g.endpoint(dst), port, protocol, family).allowed();
    }
}
