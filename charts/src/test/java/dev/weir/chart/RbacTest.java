package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent gets exactly the privileges of the agent contract, nothing more. */
class RbacTest {

    private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs).build();
    }

    static final List<PolicyRule> CONTRACT = List.of(
            rule(List.of(""), List.of("pods", "namespaces", "nodes"), List.of("get", "list", "watch")),
            rule(List.of("networking.k8s.io"), List.of("networkpolicies"), List.of("get", "list", "watch")),
            rule(List.of("policy.networking.k8s.io"), List.of("clusternetworkpolicies"), List.of("get", "list", "watch")),
            rule(List.of("policy.networking.k8s.io"), List.of("clusternetworkpolicies/status"), List.of("update", "patch")),
            new PolicyRuleBuilder().withApiGroups("apiextensions.k8s.io").withResources("customresourcedefinitions")
                    .withResourceNames("clusternetworkpolicies.policy.networking.k8s.io").withVerbs("get").build(),
            rule(List.of(""), List.of("events"), List.of("create", "patch")));

    @Test
    void clusterRoleGrantsExactlyTheContractRules() {
        var role = WeirChart.render().one(ClusterRole.class);

        assertThat(role.getRules()).containsExactlyElementsOf(CONTRACT);
        assertThat(role.getAggregationRule()).isNull();
    }

    @Test
    void noRuleUsesWildcardsOrDestructiveVerbs() {
        var rules = WeirChart.render().one(ClusterRole.class).getRules();

        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getVerbs()).doesNotContain("*", "delete", "deletecollection", "escalate", "bind",
                    "impersonate");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    @Test
    void bindingTiesTheClusterRoleToTheAgentServiceAccount() {
        var manifests = WeirChart.render();
        var binding = manifests.one(ClusterRoleBinding.class);
        var account = manifests.one(ServiceAccount.class);

        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(manifests.one(ClusterRole.class).getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(WeirChart.NAMESPACE);
        });
    }

    @Test
    void grantsNothingElseAnywhere() {
        var manifests = WeirChart.render();

        assertThat(manifests.all(ClusterRole.class)).hasSize(1);
        assertThat(manifests.all(ClusterRoleBinding.class)).hasSize(1);
        assertThat(manifests.all(Role.class)).isEmpty();
        assertThat(manifests.all(RoleBinding.class)).isEmpty();
    }

    @Test
    void rbacAndServiceAccountCanBeLeftToTheAdmin() {
        var manifests = WeirChart.render(Map.of("rbac.create", false, "serviceAccount.create", false,
                "serviceAccount.name", "netpol-agent"));

        assertThat(manifests.all(ClusterRole.class)).isEmpty();
        assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(manifests.all(ServiceAccount.class)).isEmpty();
        assertThat(manifests.one(io.fabric8.kubernetes.api.model.apps.DaemonSet.class)
                .getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("netpol-agent");
    }
}
