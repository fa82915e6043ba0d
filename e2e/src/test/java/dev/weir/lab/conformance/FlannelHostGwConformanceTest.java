package dev.weir.lab.conformance;

/**
 * The conformance catalogue on a flannel lab with the host-gw backend (2 nodes, pod subnets routed via the other
 * node's underlay address, no VXLAN); see {@link LabConformanceContract}. Cross-node packets reach the node with their
 * pod source addresses on {@code eth0} instead of {@code flannel.1}.
 */
class FlannelHostGwConformanceTest extends LabConformanceContract {

    @Override
    String topology() {
        return "flannel";
    }

    @Override
    String backend() {
        return "host-gw";
    }

    @Override
    boolean everyScenarioInHalfMode() {
        return false;
    }

    @Override
    int agentHttpBase() {
        return 20210;
    }

    @Override
    boolean widerMatrix() {
        return true;
    }
}
