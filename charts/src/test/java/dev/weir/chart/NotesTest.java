package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the admin reads after `helm install`: how to check the agents, and how to uninstall cleanly. */
class NotesTest {

    @Test
    void tellHowToCheckThatEveryAgentIsReady() {
        assertThat(WeirChart.installNotes(Map.of()))
                .contains("kubectl -n kube-system rollout status daemonset/weir")
                .contains("/readyz");
    }

    @Test
    void tellWhereEachNodeSaysWhatItEnforcesWhileItDoes() {
        assertThat(WeirChart.installNotes(Map.of())).contains("kubectl get nodepolicyreports");
        assertThat(WeirChart.installNotes(Map.of("agent.report.enabled", false)))
                .doesNotContain("nodepolicyreports");
    }

    @Test
    void tellThatUninstallLeavesRulesAndHowToRemoveThem() {
        assertThat(WeirChart.installNotes(Map.of()))
                .contains("helm uninstall weir -n kube-system")
                .contains("leaves the last rules in place")
                .contains("--set cleanup.enabled=true")
                .contains("rollout status daemonset/weir-cleanup");
    }

    @Test
    void inCleanupModeWarnThatNothingIsEnforced() {
        assertThat(WeirChart.installNotes(Map.of("cleanup.enabled", true)))
                .contains("NOT enforced")
                .contains("rollout status daemonset/weir-cleanup")
                .doesNotContain("rollout status daemonset/weir\n");
    }

    @Test
    void tellWhichControllerReplicaLeadsAndWhereItsWritesAre() {
        assertThat(WeirChart.installNotes(Map.of()))
                .contains("kubectl -n kube-system get lease weir-controller")
                .contains("logs deployment/weir-controller")
                .contains("reason=PolicyRejected");
        assertThat(WeirChart.installNotes(Map.of("controller.enabled", false)))
                .contains("nothing writes the ClusterNetworkPolicy conditions")
                .doesNotContain("get lease");
    }
}
