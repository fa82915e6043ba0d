package dev.weir.lab;

/** Services on canal with host-gw: pods routed, a forwarded node port leaves from the node's own address. */
class CanalLabServicesTest extends LabServicesContract {

    @Override
    String[] shape() {
        return new String[] {"--topology", "canal", "--backend", "host-gw"};
    }

    @Override
    int httpBase() {
        return 20310;
    }

    @Override
    boolean masqueradesToUnderlay() {
        return true;
    }
}
