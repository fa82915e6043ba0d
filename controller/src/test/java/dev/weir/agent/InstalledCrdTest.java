package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstalledCrdTest {

    /** The CRD weir ships, as {@code kubectl apply -f crds/} installs it. */
    static CustomResourceDefinition weirsCrd() throws IOException {
        return Serialization.unmarshal(Files.readString(Path.of("../crds", ClusterNetworkPolicy.CRD_NAME + ".yaml")),
                CustomResourceDefinition.class);
    }

    static CustomResourceDefinition crd(Map<String, String> annotations, String... servedVersions) {
        var builder = new CustomResourceDefinitionBuilder().withNewMetadata().withName(ClusterNetworkPolicy.CRD_NAME)
                .withAnnotations(annotations).endMetadata().withNewSpec().endSpec();
        for (String v : servedVersions) {
            builder.editSpec().addNewVersion().withName(v).withServed(true).withStorage(true).endVersion().endSpec();
        }
        builder.editSpec().addNewVersion().withName("v1alpha0").withServed(false).withStorage(false).endVersion()
                .endSpec();
        return builder.build();
    }

    @Test
    void weirsOwnCrdIsUpstreamsStandardChannelServingV1alpha2() throws IOException {
        InstalledCrd found = InstalledCrd.of(weirsCrd());

        assertThat(found.channel()).isEqualTo("standard");
        assertThat(found.bundleVersion()).isEqualTo("v0.2.0");
        assertThat(found.apiApproved()).startsWith("https://github.com/kubernetes-sigs/network-policy-api/pull/");
        assertThat(found.servesWeirsVersion()).isTrue();
        assertThat(found.describe()).isEqualTo("clusternetworkpolicies.policy.networking.k8s.io: channel standard,"
                + " bundle v0.2.0, serves v1alpha2, api-approved"
                + " https://github.com/kubernetes-sigs/network-policy-api/pull/347 (weir follows standard v0.2.0);"
                + " the API server refuses nodes and domainNames peers (experimental channel only)");
        assertThat(found.labelValues()).containsExactly("found", "standard", "v0.2.0", "v1alpha2");
    }

    @Test
    void anExperimentalCrdSaysNodesPeersAreEnforcedAndDomainNamesFailClosed() {
        InstalledCrd found = InstalledCrd.of(crd(Map.of("policy.networking.k8s.io/channel", "experimental",
                "policy.networking.k8s.io/bundle-version", "v0.2.0"), "v1alpha2"));

        assertThat(found.describe()).contains("channel experimental, bundle v0.2.0, serves v1alpha2",
                "api-approved (none)", "nodes enforced, domainNames fail closed");
        assertThat(found.labelValues()).containsExactly("found", "experimental", "v0.2.0", "v1alpha2");
    }

    @Test
    void aCrdWithoutUpstreamsAnnotationsIsNamedAsSuch() {
        InstalledCrd found = InstalledCrd.of(crd(Map.of(), "v1alpha2"));

        assertThat(found.describe()).contains("channel (none), bundle (none)", "not an upstream channel");
        assertThat(found.labelValues()).containsExactly("found", "", "", "v1alpha2");
    }

    @Test
    void onlyServedVersionsCountAndV1alpha2MustBeAmongThem() {
        InstalledCrd found = InstalledCrd.of(crd(Map.of(), "v1alpha3"));

        assertThat(found.served()).containsExactly("v1alpha3");
        assertThat(found.servesWeirsVersion()).isFalse();
    }

    @Test
    void absentAndUnreadableCrdsHaveTheirOwnState() {
        assertThat(InstalledCrd.ABSENT.labelValues()).containsExactly("absent", "", "", "");
        assertThat(InstalledCrd.UNREADABLE.labelValues()).containsExactly("unreadable", "", "", "");
        assertThat(InstalledCrd.UNREADABLE.describe()).contains("could not be read");
    }
}
