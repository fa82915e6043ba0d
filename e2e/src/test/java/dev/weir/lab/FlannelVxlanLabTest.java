package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

class FlannelVxlanLabTest extends LabReachabilityContract {

    @Override
    String[] shape() {
        // with agents in the daemon's JVM: agents that have no policy to enforce must not break any path
        return new String[] {"--nodes", "2", "--topology", "flannel", "--backend", "vxlan", "--agents", "in-process",
            "--agent-http-base", "19400"};
    }

    @Test
    @Order(2)
    void inProcessAgentsBecomeReadyOnEveryNode() throws Exception {
        upOnce();
        LabFixture.Run status = null;
        for (int i = 0; i < 40; i++) {
            status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
            if (status.output().lines().filter(l -> l.endsWith("\tready")).count() == 2) {
                break;
            }
            Thread.sleep(250);
        }

        assertThat(status.output()).contains(LabFixture.PREFIX + "n1\t192.168.222.11\t10.244.1.0/24\tready",
                LabFixture.PREFIX + "n2\t192.168.222.12\t10.244.2.0/24\tready");
        assertThat(lab.state().agents()).extracting(a -> a.mode()).containsExactly("in-process", "in-process");
    }
}
