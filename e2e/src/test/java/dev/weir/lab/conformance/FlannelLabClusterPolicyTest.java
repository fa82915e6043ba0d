package dev.weir.lab.conformance;

/** The ClusterNetworkPolicy scenarios on a flannel lab (2 nodes, VXLAN); see {@link LabClusterPolicyContract}. */
class FlannelLabClusterPolicyTest extends LabClusterPolicyContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    int agentHttpBase() {
        return 19580;
    }
}
