package dev.weir.lab.conformance;

/** The ClusterNetworkPolicy scenarios on a canal lab (2 nodes, VXLAN); see {@link LabClusterPolicyContract}. */
class CanalLabClusterPolicyTest extends LabClusterPolicyContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    int agentHttpBase() {
        return 19600;
    }
}
