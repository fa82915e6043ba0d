package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.model.IpAddress;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CniAttachmentTest {

    private static final String CONTAINER = "3f9c2a7be1d04c55a0b6f1e2d3c4b5a697887766554433221100ffeeddccbbaa";

    @Test
    void readsThePodTheInterfacesAndTheAddressesOfAFlannelEntry() {
        CniAttachment a = CniAttachment.parse(CniCacheFiles.name(CONTAINER), CniCacheFiles.flannel(CONTAINER, "dev",
                "web-1", "veth9f3a2b1c", "10.244.1.5", "0A:58:0A:F4:01:05"));

        assertThat(a.podNamespace()).isEqualTo("dev");
        assertThat(a.podName()).isEqualTo("web-1");
        assertThat(a.network()).isEqualTo("cbr0");
        assertThat(a.ifName()).isEqualTo("eth0");
        assertThat(a.containerId()).isEqualTo(CONTAINER);
        assertThat(a.interfaces()).extracting(CniAttachment.Interface::name).containsExactly("cni0", "veth9f3a2b1c",
                "eth0");
        assertThat(a.interfaces()).extracting(i -> i.sandbox().isPresent()).containsExactly(false, false, true);
        assertThat(a.addresses()).singleElement().satisfies(addr -> {
            assertThat(addr.address()).isEqualTo(IpAddress.parse("10.244.1.5"));
            assertThat(a.interfaceOf(addr)).map(CniAttachment.Interface::mac)
                    .contains(Optional.of("0A:58:0A:F4:01:05"));
        });
    }

    static Stream<Arguments> notAPodEntry() {
        String good = CniCacheFiles.flannel(CONTAINER, "dev", "web-1", "veth9f3a2b1c", "10.244.1.5",
                "0a:58:0a:f4:01:05");
        return Stream.of(
                Arguments.of("broken JSON", good.substring(0, good.length() / 2), "not JSON"),
                Arguments.of("a JSON array", "[1, 2]", "not a JSON object"),
                Arguments.of("another kind", good.replace("cniCacheV1", "cniCacheV2"), "kind is"),
                Arguments.of("no pod name", good.replace("K8S_POD_NAME\"", "K8S_POD_NAMEX\""), "K8S_POD_NAME"),
                Arguments.of("a CNI 0.2.0 result", """
                        {"kind":"cniCacheV1","containerId":"c1","cniArgs":[["K8S_POD_NAMESPACE","dev"],\
                        ["K8S_POD_NAME","web-1"]],"result":{"cniVersion":"0.2.0","ip4":{"ip":"10.244.1.5/24"}}}""",
                        "no interfaces and ips"),
                Arguments.of("no result", """
                        {"kind":"cniCacheV1","containerId":"c1","cniArgs":[["K8S_POD_NAMESPACE","dev"],\
                        ["K8S_POD_NAME","web-1"]]}""", "no interfaces and ips"),
                Arguments.of("an address that is none", good.replace("10.244.1.5/24", "ten/24"), "not an address"),
                Arguments.of("an interface without a name", good.replace("{\"name\":\"cni0\",", "{"), "no name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notAPodEntry")
    void aFileThatIsNoPodEntryIsRefusedSayingWhy(String what, String json, String why) {
        assertThatThrownBy(() -> CniAttachment.parse("f", json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }
}
