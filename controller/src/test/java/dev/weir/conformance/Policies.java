package dev.weir.conformance;

/** Writes NetworkPolicy and ClusterNetworkPolicy manifests for the catalogue: a name, a namespace and the spec as YAML at column 0. */
final class Policies {

    private Policies() {
    }

    static String np(String namespace, String name, String spec) {
        StringBuilder sb = new StringBuilder("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ")
                .append(name).append("\n  namespace: ").append(namespace).append("\nspec:\n");
        spec.stripIndent().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** A ClusterNetworkPolicy manifest: the spec as YAML at column 0. */
    static String cnp(String name, String spec) {
        StringBuilder sb = new StringBuilder("apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
                + "metadata:\n  name: ").append(name).append("\nspec:\n");
        spec.stripIndent().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }
}
