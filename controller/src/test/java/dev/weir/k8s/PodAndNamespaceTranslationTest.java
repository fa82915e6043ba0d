package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ContainerPort;
import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class PodAndNamespaceTranslationTest {

    @Test
    void podCarriesLabelsAddressesNodeAndPortsOfAllContainers() {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("x").addToLabels("pod", "a")
                .endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewInitContainer().withName("sidecar").addNewPort().withName("metrics").withContainerPort(9090)
                .endPort().endInitContainer()
                .addNewContainer().withName("c").addNewPort().withName("serve-80-udp").withContainerPort(80)
                .withProtocol("UDP").endPort().addNewPort().withContainerPort(81).endPort().endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.1").addNewPodIP().withIp("10.0.0.1").endPodIP()
                .addNewPodIP().withIp("fd00::1").endPodIP().endStatus()
                .build();

        Endpoint e = ModelTranslator.pod(pod).value().orElseThrow();

        assertThat(e.key()).isEqualTo(ObjectKey.pod("x", "a"));
        assertThat(e.labels()).containsEntry("pod", "a");
        assertThat(e.node()).isEqualTo("node-1");
        assertThat(e.ips()).containsExactly(IpAddress.parse("10.0.0.1"), IpAddress.parse("fd00::1"));
        assertThat(e.phase()).isEqualTo(PodPhase.RUNNING);
        assertThat(e.ports()).containsExactlyInAnyOrder(new ContainerPort("metrics", 9090, Protocol.TCP),
                new ContainerPort("serve-80-udp", 80, Protocol.UDP), new ContainerPort(null, 81, Protocol.TCP));
    }

    @Test
    void podWithoutStatusHasNoAddressAndCountsAsRunning() {
        Pod pod = Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x}
                spec:
                  hostNetwork: true
                  containers: [{name: c, image: i}]
                """, Pod.class);
        Endpoint e = ModelTranslator.pod(pod).value().orElseThrow();
        assertThat(e.ips()).isEmpty();
        assertThat(e.phase()).isEqualTo(PodPhase.RUNNING);
        assertThat(e.hostNetwork()).isTrue();
    }

    @Test
    void succeededPodKeepsItsPhase() {
        Pod pod = new PodBuilder().withNewMetadata().withName("job").withNamespace("x").endMetadata()
                .withNewStatus().withPhase("Succeeded").endStatus().build();
        assertThat(ModelTranslator.pod(pod).value().orElseThrow().phase()).isEqualTo(PodPhase.SUCCEEDED);
    }

    @Test
    void podWithInvalidAddressOrPortIsRejectedNamingTheFields() {
        Pod pod = Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x}
                spec:
                  containers:
                    - name: c
                      ports:
                        - {containerPort: 70000}
                        - {containerPort: 80, name: Web_Port}
                        - {containerPort: 81, protocol: ICMP}
                status: {podIP: 10.0.0.300}
                """, Pod.class);
        Translated<Endpoint> t = ModelTranslator.pod(pod);
        assertThat(t.value()).isEmpty();
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactlyInAnyOrder(
                "Pod x/a: spec.containers[0].ports[0].containerPort: must be between 1 and 65535, inclusive (got 70000)",
                "Pod x/a: spec.containers[0].ports[1].name: port name \"Web_Port\" must contain only lower-case "
                        + "letters, digits and single hyphens, beginning and ending with a letter or digit",
                "Pod x/a: spec.containers[0].ports[2].protocol: unsupported value \"ICMP\": supported values: "
                        + "\"SCTP\", \"TCP\", \"UDP\"",
                "Pod x/a: status.podIP: invalid IP address \"10.0.0.300\"");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "as the API server writes it|2026-05-01T10:00:00Z|2026-05-01T10:00:00Z",
        "with fractional seconds and an offset|2026-05-01T12:00:00.25+02:00|2026-05-01T10:00:00.250Z",
        "lower-case t and z (RFC 3339 allows them)|2026-05-01t10:00:00z|2026-05-01T10:00:00Z"})
    void podCarriesItsCreationTime(String form, String timestamp, String expected) {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("x")
                .withCreationTimestamp(timestamp).endMetadata().build();
        Translated<Endpoint> t = ModelTranslator.pod(pod);
        assertThat(t.value().orElseThrow().created()).isEqualTo(java.time.Instant.parse(expected));
        assertThat(t.diagnostics()).isEmpty();
    }

    @Test
    void podWithoutCreationTimeHasAnUnknownOne() {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("x").endMetadata().build();
        Translated<Endpoint> t = ModelTranslator.pod(pod);
        assertThat(t.value().orElseThrow().created()).isNull();
        assertThat(t.diagnostics()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\"")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yesterday", "2026-05-01", "2026-05-01T10:00:00",
        "2026-13-01T10:00:00Z", "1714557600"})
    void anUnreadableCreationTimeIsUnknownAndAWarningNamingTheField(String timestamp) {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("x")
                .withCreationTimestamp(timestamp).endMetadata().withNewStatus().withPodIP("10.0.0.1").endStatus()
                .build();
        Translated<Endpoint> t = ModelTranslator.pod(pod);
        assertThat(t.value().orElseThrow().created()).isNull();
        assertThat(t.value().orElseThrow().ips()).containsExactly(IpAddress.parse("10.0.0.1"));
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactly("Pod x/a: metadata.creationTimestamp: "
                + "not an RFC 3339 time \"" + timestamp + "\"; read as unknown, which loses to any pod with a known "
                + "time that claims the same address");
    }

    @Test
    void namespaceGetsTheMetadataNameLabelTheApiServerSets() {
        Namespace ns = ModelTranslator.namespace(new NamespaceBuilder().withNewMetadata().withName("dev")
                .addToLabels("team", "a").endMetadata().build()).value().orElseThrow();
        assertThat(ns.labels()).containsEntry("team", "a").containsEntry("kubernetes.io/metadata.name", "dev");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\" -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({"true, ON", "false, OFF"})
    void theDenialLogAnnotationTurnsTheNamespacesLogOnOrOff(String value, DenialLogging expected) {
        Translated<Namespace> t = ModelTranslator.namespace(new NamespaceBuilder().withNewMetadata().withName("dev")
                .addToAnnotations(ModelTranslator.LOG_DENIALS_ANNOTATION, value).endMetadata().build());
        assertThat(t.value().orElseThrow().denialLogging()).isEqualTo(expected);
        assertThat(t.diagnostics()).isEmpty();
    }

    @Test
    void aNamespaceWithoutTheAnnotationFollowsTheNode() {
        assertThat(ModelTranslator.namespace(new NamespaceBuilder().withNewMetadata().withName("dev").endMetadata()
                .build()).value().orElseThrow().denialLogging()).isEqualTo(DenialLogging.DEFAULT);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\"")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "False", "TRUE", "", " true", "0"})
    void anUnreadableDenialLogAnnotationIsAWarningNamingTheFieldAndCountsAsUnset(String value) {
        Translated<Namespace> t = ModelTranslator.namespace(new NamespaceBuilder().withNewMetadata().withName("dev")
                .addToAnnotations(ModelTranslator.LOG_DENIALS_ANNOTATION, value).endMetadata().build());
        assertThat(t.value().orElseThrow().denialLogging()).isEqualTo(DenialLogging.DEFAULT);
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactly("Namespace dev: "
                + "metadata.annotations[weir.dev/log-denials]: must be \"true\" or \"false\", not \"" + value
                + "\"; ignored, so the node's setting decides whether this namespace's denials are logged");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "Pod|Web|x|Pod x/Web: metadata.name: invalid name \"Web\"",
        "Pod|a|X_Y|Pod X_Y/a: metadata.namespace: invalid namespace \"X_Y\"",
        "NetworkPolicy|-p|x|NetworkPolicy x/-p: metadata.name: invalid name \"-p\"",
        "Namespace|a.b||Namespace a.b: metadata.name: invalid namespace \"a.b\"",
        "Pod||x|Pod x/<unnamed>: metadata.name: name or generateName is required"})
    void invalidNamesAreRejectedAsTheApiServerWould(String kind, String name, String namespace, String expected) {
        var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .build();
        Translated<?> t = switch (kind) {
            case "Pod" -> ModelTranslator.pod(new PodBuilder().withMetadata(meta).build());
            case "Namespace" -> ModelTranslator.namespace(new NamespaceBuilder().withMetadata(meta).build());
            default -> ModelTranslator.networkPolicy(
                    new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withMetadata(meta)
                            .build());
        };
        assertThat(t.value()).isEmpty();
        assertThat(t.diagnostics()).extracting(Object::toString).singleElement()
                .satisfies(d -> assertThat(d).startsWith(expected));
    }
}
