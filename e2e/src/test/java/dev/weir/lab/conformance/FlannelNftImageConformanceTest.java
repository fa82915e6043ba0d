package dev.weir.lab.conformance;

/** The conformance catalogue with image agents on flannel, nodes on iptables-nft; see {@link ImageLabConformanceContract}. */
class FlannelNftImageConformanceTest extends ImageLabConformanceContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    String nodeIptables() {
        return "nft";
    }

    @Override
    int halfOffset() {
        return -1;
    }

    @Override
    int agentHttpBase() {
        return 20610;
    }
}
