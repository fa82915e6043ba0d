package dev.weir.lab.conformance;

/** The conformance catalogue with image agents on canal, nodes on iptables-nft; see {@link ImageLabConformanceContract}. */
class CanalNftImageConformanceTest extends ImageLabConformanceContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    String nodeIptables() {
        return "nft";
    }

    @Override
    int halfOffset() {
        return 1;
    }

    @Override
    int agentHttpBase() {
        return 20630;
    }
}
