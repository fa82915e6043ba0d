package dev.weir.agent;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ClusterNetworkPolicy CRD an agent found on its API server, as it names itself: upstream's channel and bundle
 * annotations, the API review that approved it, the versions it serves. A cluster may have weir's CRD (upstream's
 * standard channel) or upstream's experimental one, installed by another implementation; which one decides whether
 * {@code nodes} and {@code domainNames} peers can exist at all, so the agent says it once at start-up, in its log and
 * in the labels of an info metric.
 *
 * @param state         whether the CRD was found, is absent, or could not be read (RBAC, API server error)
 * @param channel       {@code policy.networking.k8s.io/channel}, or {@link #NONE} when the CRD does not say
 * @param bundleVersion {@code policy.networking.k8s.io/bundle-version}, or {@link #NONE}
 * @param apiApproved   {@code api-approved.kubernetes.io}, or {@link #NONE}
 * @param served        the versions it serves, in the CRD's order
 */
public record InstalledCrd(State state, String channel, String bundleVersion, String apiApproved, List<String> served) {

    public enum State { FOUND, ABSENT, UNREADABLE }

    static final String NONE = "";
    static final String EXPERIMENTAL = "experimental";

    static final InstalledCrd ABSENT = new InstalledCrd(State.ABSENT, NONE, NONE, NONE, List.of());
    static final InstalledCrd UNREADABLE = new InstalledCrd(State.UNREADABLE, NONE, NONE, NONE, List.of());

    public InstalledCrd {
        served = List.copyOf(served);
    }

    static InstalledCrd of(CustomResourceDefinition crd) {
        Map<String, String> annotations = crd.getMetadata().getAnnotations() == null ? Map.of()
                : crd.getMetadata().getAnnotations();
        return new InstalledCrd(State.FOUND,
                annotations.getOrDefault(ClusterNetworkPolicy.CHANNEL_ANNOTATION, NONE),
                annotations.getOrDefault(ClusterNetworkPolicy.BUNDLE_VERSION_ANNOTATION, NONE),
                annotations.getOrDefault(ClusterNetworkPolicy.API_APPROVED_ANNOTATION, NONE),
                crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed()))
                        .map(CustomResourceDefinitionVersion::getName).toList());
    }

    /** The version weir reads is served: without it the agent cannot watch ClusterNetworkPolicy. */
    boolean servesWeirsVersion() {
        return served.contains(ClusterNetworkPolicy.VERSION);
    }

    /** One log line: what the CRD says of itself and what that means for the policies weir can be given. */
    String describe() {
        return switch (state) {
            case ABSENT -> "no " + ClusterNetworkPolicy.CRD_NAME + " CRD";
            case UNREADABLE -> "the " + ClusterNetworkPolicy.CRD_NAME + " CRD could not be read";
            case FOUND -> ClusterNetworkPolicy.CRD_NAME + ": channel " + orNone(channel) + ", bundle "
                    + orNone(bundleVersion) + ", serves " + (served.isEmpty() ? "nothing" : String.join(",", served))
                    + ", api-approved " + orNone(apiApproved) + " (weir follows " + ClusterNetworkPolicy.CHANNEL + " "
                    + ClusterNetworkPolicy.BUNDLE_VERSION + "); " + meaning();
        };
    }

    /** The labels of {@code AgentMetrics.clusterPolicyCrd}: state, channel, bundle version, served versions. */
    String[] labelValues() {
        return new String[] {state.name().toLowerCase(Locale.ROOT), channel, bundleVersion, String.join(",", served)};
    }

    private String meaning() {
        if (channel.equals(EXPERIMENTAL)) {
            return "its experimental peers are read: nodes enforced, domainNames fail closed";
        }
        if (channel.equals(ClusterNetworkPolicy.CHANNEL)) {
            return "the API server refuses nodes and domainNames peers (experimental channel only)";
        }
        return "not an upstream channel: weir reads whatever peers it lets through";
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "(none)" : value;
    }
}
