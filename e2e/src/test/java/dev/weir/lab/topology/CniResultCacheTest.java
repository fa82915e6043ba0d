package dev.weir.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CniResultCacheTest {

    private static LabPlan plan(Topology topology) {
        LabSpec spec = new LabSpec(2, topology, Backend.VXLAN, List.of(new LabSpec.NamespaceSpec("x", Map.of())),
                List.of(new LabSpec.PodSpec("x", "a", Map.of(), List.of(), 1, null),
                        new LabSpec.PodSpec("x", "b", Map.of(), List.of(), 2, null)));
        return AddressPlanner.plan(spec, "wl-");
    }

    @Test
    void aFlannelNodeHoldsOneLibcniEntryPerLocalPodNamingPodPortAndMac() {
        LabPlan plan = plan(Topology.FLANNEL);
        LabPlan.PodPlan a = plan.pods().get(0);

        Map<String, String> files = CniResultCache.files(plan, "wl-n1");

        assertThat(files).hasSize(1);
        Map.Entry<String, String> f = files.entrySet().iterator().next();
        JsonNode e = JsonMapper.builder().build().readTree(f.getValue());
        assertThat(f.getKey()).isEqualTo("cbr0-" + e.get("containerId").asString() + "-eth0");
        assertThat(e.get("kind").asString()).isEqualTo("cniCacheV1");
        assertThat(e.get("cniArgs").toString()).contains("[\"K8S_POD_NAMESPACE\",\"x\"]", "[\"K8S_POD_NAME\",\"a\"]");
        JsonNode result = e.get("result");
        JsonNode ip = result.get("ips").get(0);
        assertThat(ip.get("address").asString()).isEqualTo(a.ip() + "/24");
        JsonNode eth0 = result.get("interfaces").get(ip.get("interface").asInt());
        assertThat(eth0.get("mac").asString()).isEqualTo(a.mac()).isEqualTo("0a:58:0a:f4:01:02");
        assertThat(eth0.get("sandbox").asString()).endsWith(a.netns());
        assertThat(result.get("interfaces").get(1).get("name").asString()).isEqualTo(a.hostVeth())
                .matches("veth[0-9a-f]{8}");
    }

    @Test
    void canalNodesHaveNoCacheTheirPodsAreFoundByRoute() {
        assertThat(CniResultCache.files(plan(Topology.CANAL), "wl-n1")).isEmpty();
        assertThat(plan(Topology.CANAL).pods().get(0).hostVeth()).matches("cali[0-9a-f]{11}");
    }
}
