package dev.weir.lab;

/** Services on flannel with VXLAN: same-node pod traffic bridged, a forwarded node port leaves from flannel.1. */
class FlannelLabServicesTest extends LabServicesContract {

    @Override
    String[] shape() {
        return new String[] {"--topology", "flannel", "--backend", "vxlan"};
    }

    @Override
    int httpBase() {
        return 20300;
    }

    @Override
    boolean masqueradesToUnderlay() {
        return false;
    }
}
