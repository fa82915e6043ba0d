package dev.weir.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.apply.IptablesBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubelet's hint chains, as a lab node gets them: what the agent's backend detection reads. */
class NodeIptablesTest {

    @Test
    void aLegacyNodeGetsTheHintChainsFromIptablesLegacyForBothFamilies() {
        assertThat(NodeIptables.commands("wl-n1", IptablesBackend.LEGACY)).containsExactly(
                List.of("ip", "netns", "exec", "wl-n1", "iptables-legacy-restore", "--noflush"),
                List.of("ip", "netns", "exec", "wl-n1", "ip6tables-legacy-restore", "--noflush"));
    }

    @Test
    void theHintsAreTheTwoEmptyChainsKubeletLeavesInMangle() {
        assertThat(NodeIptables.HINTS).isEqualTo(
                "*mangle\n:KUBE-IPTABLES-HINT - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\nCOMMIT\n");
        assertThat(NodeIptables.commands("wl-n2", IptablesBackend.NFT)).extracting(c -> c.get(4))
                .containsExactly("iptables-nft-restore", "ip6tables-nft-restore");
    }
}
