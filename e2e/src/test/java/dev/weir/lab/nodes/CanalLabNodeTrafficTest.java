package dev.weir.lab.nodes;

/** Node traffic on a canal lab (vxlan); see {@link LabNodeTrafficContract}. */
class CanalLabNodeTrafficTest extends LabNodeTrafficContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    String backend() {
        return "vxlan";
    }

    @Override
    int agentHttpBase() {
        return 20420;
    }
}
