package dev.weir.lab.nodes;

/** Node traffic on a flannel lab (vxlan); see {@link LabNodeTrafficContract}. */
class FlannelLabNodeTrafficTest extends LabNodeTrafficContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    String backend() {
        return "vxlan";
    }

    @Override
    int agentHttpBase() {
        return 20400;
    }
}
