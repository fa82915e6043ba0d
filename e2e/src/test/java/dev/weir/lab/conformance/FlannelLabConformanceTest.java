package dev.weir.lab.conformance;

/** The conformance catalogue on a flannel lab (2 nodes, VXLAN); see {@link LabConformanceContract}. */
class FlannelLabConformanceTest extends LabConformanceContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    boolean everyScenarioInHalfMode() {
        return true;
    }

    @Override
    int agentHttpBase() {
        return 19540;
    }
}
