package dev.weir.lab;

class CanalVxlanLabTest extends LabReachabilityContract {

    @Override
    String[] shape() {
        return new String[] {"--nodes", "2", "--topology", "canal", "--backend", "vxlan"};
    }
}
