package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent and the controller get exactly the privileges of their contracts, each under its own ServiceAccount; the
 * agents write nothing cluster-wide but their nodes' reports (the controller writes status and Events, once for the
 * cluster).
 */
class RbacTest {

    private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs).build();
    }

    static final List<PolicyRule> AGENT = List.of(
            rule(List.of(""), List.of("pods", "namespaces", "nodes"), List.of("get", "list", "watch")),
            rule(List.of("networking.k8s.io"), List.of("networkpolicies"), List.of("get", "list", "watch")),
            rule(List.of("policy.networking.k8s.io"), List.of("clusternetworkpolicies"), List.of("get", "list", "watch")),
            new PolicyRuleBuilder().withApiGroups("apiextensions.k8s.io").withResources("customresourcedefinitions")
                    .withResourceNames("clusternetworkpolicies.policy.networking.k8s.io").withVerbs("get").build());

    /** With agent.report.enabled (the default): create the node's NodePolicyReport and replace its status. */
    static final List<PolicyRule> AGENT_REPORT = List.of(
            rule(List.of("weir.dev"), List.of("nodepolicyreports"), List.of("get", "create")),
            rule(List.of("weir.dev"), List.of("nodepolicyreports/status"), List.of("update")));

    static List<PolicyRule> agentWithReport() {
        var all = new java.util.ArrayList<>(AGENT);
        all.addAll(AGENT_REPORT);
        return all;
    }

    static final List<PolicyRule> CONTROLLER = List.of(
            rule(List.of(""), List.of("pods", "namespaces", "nodes"), List.of("get", "list", "watch")),
            rule(List.of("networking.k8s.io"), List.of("networkpolicies"), List.of("get", "list", "watch", "patch")),
            rule(List.of("policy.networking.k8s.io"), List.of("clusternetworkpolicies"), List.of("get", "list", "watch")),
            rule(List.of("policy.networking.k8s.io"), List.of("clusternetworkpolicies/status"), List.of("update")),
            rule(List.of("weir.dev"), List.of("nodepolicyreports"), List.of("get", "list", "watch")),
            rule(List.of(""), List.of("events"), List.of("create")));

    static final List<PolicyRule> CONTROLLER_LEASE = List.of(
            rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("create")),
            new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                    .withResourceNames("weir-controller").withVerbs("get", "update").build());

    @Test
    void theAgentsClusterRoleGrantsExactlyItsContractAndWritesOnlyNodeReports() {
        var role = WeirChart.render().one(ClusterRole.class, "agent");

        assertThat(role.getRules()).containsExactlyElementsOf(agentWithReport());
        assertThat(role.getRules()).filteredOn(r -> !r.getApiGroups().equals(List.of("weir.dev")))
                .allSatisfy(r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch"));
        assertThat(role.getAggregationRule()).isNull();
    }

    @Test
    void withoutTheReportTheAgentWritesNothing() {
        var role = WeirChart.render(Map.of("agent.report.enabled", false)).one(ClusterRole.class, "agent");

        assertThat(role.getRules()).containsExactlyElementsOf(AGENT);
        assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch"));
    }

    @Test
    void theControllersClusterRoleGrantsExactlyItsContract() {
        var role = WeirChart.render().one(ClusterRole.class, "controller");

        assertThat(role.getRules()).containsExactlyElementsOf(CONTROLLER);
        assertThat(role.getAggregationRule()).isNull();
    }

    @Test
    void theControllersLeaseRightsAreInTheReleaseNamespaceAndNamedWhereTheApiAllows() {
        var manifests = WeirChart.render(Map.of("controller.lease.name", "weir-leader"));
        Role role = manifests.one(Role.class, "controller");

        assertThat(role.getMetadata().getNamespace()).isEqualTo(WeirChart.NAMESPACE);
        assertThat(role.getRules()).hasSize(2);
        assertThat(role.getRules().get(1).getResourceNames()).containsExactly("weir-leader");
        assertThat(WeirChart.render().one(Role.class, "controller").getRules())
                .containsExactlyElementsOf(CONTROLLER_LEASE);
    }

    @Test
    void noRuleUsesWildcardsOrDestructiveVerbs() {
        var manifests = WeirChart.render();
        var rules = new java.util.ArrayList<PolicyRule>();
        manifests.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        manifests.all(Role.class).forEach(r -> rules.addAll(r.getRules()));

        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getVerbs()).doesNotContain("*", "delete", "deletecollection", "escalate", "bind",
                    "impersonate");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    private static void assertBinds(RoleRef ref, List<Subject> subjects, String kind, String role, String account) {
        assertThat(ref.getKind()).isEqualTo(kind);
        assertThat(ref.getName()).isEqualTo(role);
        assertThat(subjects).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account);
            assertThat(subject.getNamespace()).isEqualTo(WeirChart.NAMESPACE);
        });
    }

    @Test
    void eachRoleIsBoundToItsOwnServiceAccount() {
        var manifests = WeirChart.render();
        String agentAccount = manifests.one(ServiceAccount.class, "agent").getMetadata().getName();
        String controllerAccount = manifests.one(ServiceAccount.class, "controller").getMetadata().getName();
        assertThat(agentAccount).isNotEqualTo(controllerAccount);

        var agentBinding = manifests.one(ClusterRoleBinding.class, "agent");
        assertBinds(agentBinding.getRoleRef(), agentBinding.getSubjects(), "ClusterRole",
                manifests.one(ClusterRole.class, "agent").getMetadata().getName(), agentAccount);
        var controllerBinding = manifests.one(ClusterRoleBinding.class, "controller");
        assertBinds(controllerBinding.getRoleRef(), controllerBinding.getSubjects(), "ClusterRole",
                manifests.one(ClusterRole.class, "controller").getMetadata().getName(), controllerAccount);
        var leaseBinding = manifests.one(RoleBinding.class, "controller");
        assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(WeirChart.NAMESPACE);
        assertBinds(leaseBinding.getRoleRef(), leaseBinding.getSubjects(), "Role",
                manifests.one(Role.class, "controller").getMetadata().getName(), controllerAccount);
        assertThat(manifests.one(DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(agentAccount);
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(controllerAccount);
    }

    @Test
    void grantsNothingElseAnywhere() {
        var manifests = WeirChart.render();

        assertThat(manifests.all(ClusterRole.class)).hasSize(2);
        assertThat(manifests.all(ClusterRoleBinding.class)).hasSize(2);
        assertThat(manifests.all(Role.class)).hasSize(1);
        assertThat(manifests.all(RoleBinding.class)).hasSize(1);
    }

    @Test
    void withoutTheControllerOnlyTheAgentsRightsRemain() {
        var manifests = WeirChart.render(Map.of("controller.enabled", false));

        assertThat(manifests.all(ClusterRole.class)).singleElement().satisfies(r -> assertThat(r.getRules())
                .containsExactlyElementsOf(agentWithReport()));
        assertThat(manifests.all(Role.class)).isEmpty();
        assertThat(manifests.all(RoleBinding.class)).isEmpty();
        assertThat(manifests.all(ServiceAccount.class)).hasSize(1);
        assertThat(manifests.all(Deployment.class)).isEmpty();
    }

    @Test
    void rbacAndServiceAccountsCanBeLeftToTheAdmin() {
        var manifests = WeirChart.render(Map.of("rbac.create", false, "serviceAccount.create", false,
                "serviceAccount.name", "netpol-agent", "controller.serviceAccount.create", false,
                "controller.serviceAccount.name", "netpol-controller"));

        assertThat(manifests.all(ClusterRole.class)).isEmpty();
        assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(manifests.all(Role.class)).isEmpty();
        assertThat(manifests.all(RoleBinding.class)).isEmpty();
        assertThat(manifests.all(ServiceAccount.class)).isEmpty();
        assertThat(manifests.one(DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("netpol-agent");
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("netpol-controller");
    }
}
