package dev.weir.lab.nodes;

/** Node traffic on a flannel lab (host-gw); see {@link LabNodeTrafficContract}. */
class FlannelHostGwLabNodeTrafficTest extends LabNodeTrafficContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    String backend() {
        return "host-gw";
    }

    @Override
    int agentHttpBase() {
        return 20440;
    }
}
