package dev.weir.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Every conformance scenario: upstream's NetworkPolicy e2e suite (TCP, then UDP and SCTP) and weir's additions. The
 * lab's e2e runs the same catalogue with real packets (it is packaged in the controller's test-jar).
 */
public final class ScenarioCatalogue {

    private ScenarioCatalogue() {
    }

    public static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>(UpstreamScenarios.all());
        out.addAll(ProtocolScenarios.all());
        out.addAll(WeirScenarios.all());
        return out;
    }

    /**
     * ClusterNetworkPolicy scenarios (admin and baseline tiers), after upstream network-policy-api's conformance
     * tests. Kept apart from {@link #all()}: a cluster must implement
     * {@link ScenarioCluster#applyClusterPolicy} to run them.
     */
    public static List<Scenario> clusterPolicies() {
        return ClusterPolicyScenarios.all();
    }
}
