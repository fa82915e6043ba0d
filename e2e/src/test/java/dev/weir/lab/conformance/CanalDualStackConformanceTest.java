package dev.weir.lab.conformance;

import dev.weir.model.IpFamily;

/**
 * The conformance catalogue on a dual-stack canal lab (2 nodes, VXLAN: IPv4 on {@code flannel.1}, IPv6 on
 * {@code flannel-v6.1}) with IPv6 packets; see {@link LabConformanceContract}. Each observation must equal explain's
 * IPv6 table and the scenario's expectation; ipBlock peers get their IPv6 twins ({@link Ipv6IpBlocks}).
 */
class CanalDualStackConformanceTest extends LabConformanceContract {

    @Override
    String topology() {
        return "canal";
    }

    @Override
    String ipFamily() {
        return "dual";
    }

    @Override
    IpFamily probedFamily() {
        return IpFamily.V6;
    }

    @Override
    boolean packetsMustAgreeWithExplain() {
        return true;
    }

    @Override
    boolean everyScenarioInHalfMode() {
        return false;
    }

    @Override
    int agentHttpBase() {
        return 20230;
    }

    @Override
    boolean widerMatrix() {
        return true;
    }
}
