package dev.weir.lab;

class FlannelVxlanLabTest extends LabReachabilityContract {

    @Override
    String[] shape() {
        return new String[] {"--nodes", "2", "--topology", "flannel", "--backend", "vxlan"};
    }
}
