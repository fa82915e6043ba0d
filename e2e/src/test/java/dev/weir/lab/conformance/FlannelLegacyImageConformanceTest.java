package dev.weir.lab.conformance;

/** The conformance catalogue with image agents on flannel, nodes on iptables-legacy; see {@link ImageLabConformanceContract}. */
class FlannelLegacyImageConformanceTest extends ImageLabConformanceContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    String nodeIptables() {
        return "legacy";
    }

    @Override
    int halfOffset() {
        return 0;
    }

    @Override
    int agentHttpBase() {
        return 20620;
    }
}
