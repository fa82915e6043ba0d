package dev.weir.crd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * weir's own CRD, as committed at the top of {@code crds/} (that it is what the types generate is
 * {@code CrdYamlTest}'s part): its names and scope, the status subresource the agent writes through, the fields and
 * limits the controller relies on, and printer columns that point at fields that exist.
 */
class NodePolicyReportCrdTest {

    private static CustomResourceDefinition crd;
    private static CustomResourceDefinitionVersion version;
    private static JSONSchemaProps status;

    @BeforeAll
    static void read() throws IOException {
        crd = Serialization.unmarshal(Files.readString(Path.of(NodePolicyReport.CRD_NAME + ".yaml")),
                CustomResourceDefinition.class);
        version = crd.getSpec().getVersions().get(0);
        status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    }

    @Test
    void isClusterScopedInWeirsGroupOneObjectPerNode() {
        assertThat(crd.getMetadata().getName()).isEqualTo("nodepolicyreports.weir.dev");
        assertThat(crd.getSpec().getGroup()).isEqualTo("weir.dev");
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        var names = crd.getSpec().getNames();
        assertThat(List.of(names.getKind(), names.getListKind(), names.getPlural(), names.getSingular()))
                .containsExactly("NodePolicyReport", "NodePolicyReportList", "nodepolicyreports", "nodepolicyreport");
        assertThat(names.getShortNames()).containsExactly("npr");
        assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("v1alpha1");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
        });
    }

    @Test
    void isWrittenThroughTheStatusSubresourceAndHasNoSpec() {
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getSubresources().getScale()).isNull();
        assertThat(version.getSchema().getOpenAPIV3Schema().getProperties())
                .containsOnlyKeys("apiVersion", "kind", "metadata", "status");
    }

    @Test
    void statusHasTheDocumentedFieldsEachRecordComponentOnce() {
        List<String> components = Arrays.stream(NodePolicyReportStatus.class.getRecordComponents())
                .map(c -> c.getName()).toList();
        assertThat(status.getProperties().keySet()).containsExactlyInAnyOrderElementsOf(components)
                .containsExactlyInAnyOrder("agentVersion", "heartbeatIntervalSeconds", "lastHeartbeatTime",
                        "lastAppliedTime", "rulesetHash", "policyCount", "policies", "rejectedCount", "rejected",
                        "lastFailure", "consecutiveFailures");
        assertThat(status.getProperties()).allSatisfy((name, p) -> assertThat(p.getDescription())
                .as("%s is described (kubectl explain)", name).isNotBlank());
    }

    @Test
    void timesAreRfc3339DateTimes() {
        var p = status.getProperties();
        assertThat(List.of(p.get("lastHeartbeatTime"), p.get("lastAppliedTime"),
                p.get("policies").getItems().getSchema().getProperties().get("appliedTime"),
                p.get("lastFailure").getProperties().get("time")))
                .allSatisfy(t -> {
                    assertThat(t.getType()).isEqualTo("string");
                    assertThat(t.getFormat()).isEqualTo("date-time");
                });
    }

    @Test
    void listsAndMessagesAreBoundedSoAReportStaysSmall() {
        var p = status.getProperties();
        assertThat(p.get("policies").getMaxItems()).isEqualTo(NodePolicyReportStatus.MAX_POLICIES);
        assertThat(p.get("rejected").getMaxItems()).isEqualTo(NodePolicyReportStatus.MAX_REJECTED);
        assertThat(p.get("rejected").getItems().getSchema().getProperties().get("message").getMaxLength())
                .isEqualTo(NodePolicyReportStatus.MAX_MESSAGE);
        assertThat(p.get("lastFailure").getProperties().get("message").getMaxLength())
                .isEqualTo(NodePolicyReportStatus.MAX_MESSAGE);
        assertThat(p.get("policies").getItems().getSchema().getRequired()).containsExactlyInAnyOrder("kind", "name");
        assertThat(p.get("policies").getItems().getSchema().getProperties().keySet())
                .containsExactlyInAnyOrder("kind", "namespace", "name", "uid", "generation", "appliedTime");
    }

    @Test
    void printerColumnsShowPoliciesLastApplyHeartbeatAndAge() {
        assertThat(version.getAdditionalPrinterColumns().stream().filter(c -> c.getPriority() == 0)
                .map(c -> c.getName() + " " + c.getJsonPath() + " " + c.getType()))
                .containsExactly("Policies .status.policyCount integer", "Last Apply .status.lastAppliedTime date",
                        "Heartbeat .status.lastHeartbeatTime date", "Age .metadata.creationTimestamp date");
        assertThat(version.getAdditionalPrinterColumns().stream().filter(c -> c.getPriority() == 1)
                .map(CustomResourceColumnDefinition::getName))
                .containsExactly("Last Failure", "Ruleset", "Agent");
    }

    @Test
    void everyStatusColumnPointsAtAField() {
        for (CustomResourceColumnDefinition c : version.getAdditionalPrinterColumns()) {
            if (!c.getJsonPath().startsWith(".status.")) {
                continue;
            }
            JSONSchemaProps at = status;
            for (String step : c.getJsonPath().substring(".status.".length()).split("\\.")) {
                at = at.getProperties().get(step);
                assertThat(at).as("column %s: %s", c.getName(), c.getJsonPath()).isNotNull();
            }
        }
    }
}
