package dev.weir.lab.conformance;

/** The conformance catalogue on a canal lab (2 nodes, VXLAN); see {@link LabConformanceContract}. */
class CanalLabConformanceTest extends LabConformanceContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    boolean everyScenarioInHalfMode() {
        return false;
    }

    @Override
    int agentHttpBase() {
        return 19560;
    }
}
