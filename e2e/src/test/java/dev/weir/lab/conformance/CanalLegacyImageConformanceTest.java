package dev.weir.lab.conformance;

/** The conformance catalogue with image agents on canal, nodes on iptables-legacy; see {@link ImageLabConformanceContract}. */
class CanalLegacyImageConformanceTest extends ImageLabConformanceContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    String nodeIptables() {
        return "legacy";
    }

    @Override
    int halfOffset() {
        return -1;
    }

    @Override
    int agentHttpBase() {
        return 20640;
    }
}
