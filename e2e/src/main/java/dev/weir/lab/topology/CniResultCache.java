package dev.weir.lab.topology;

import dev.weir.graph.Ids;
import dev.weir.lab.spec.Topology;
import dev.weir.model.IpFamily;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CNI runtime cache a flannel node holds: for every pod, the file libcni writes after a successful ADD,
 * {@code <network>-<container id>-eth0} with {@code kind: cniCacheV1}, the Kubernetes CNI args (pod namespace, name,
 * infra container id) and the plugin's result (bridge, host veth and the pod's {@code eth0} with its MAC and sandbox,
 * the pod's address). It is how a weir agent finds a bridged pod's port without help from the CNI; the lab writes one
 * per pod into each node's cache directory. Canal nodes get none: their pods are found by their /32 routes.
 */
public final class CniResultCache {

    /** flannel's network name in its stock conflist. */
    public static final String NETWORK = "cbr0";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CniResultCache() {
    }

    /** File name → content for every pod on {@code node}; empty for a canal lab. */
    public static Map<String, String> files(LabPlan plan, String node) {
        Map<String, String> out = new TreeMap<>();
        if (plan.topology() != Topology.FLANNEL) {
            return out;
        }
        LabPlan.NodePlan n = plan.node(node);
        for (LabPlan.PodPlan p : plan.podNetworkPodsOn(node)) {
            String containerId = Ids.hex("sandbox:" + p.netns());
            out.put(NETWORK + "-" + containerId + "-eth0", JSON.writeValueAsString(entry(plan, p, n, containerId)));
        }
        return out;
    }

    private static ObjectNode entry(LabPlan plan, LabPlan.PodPlan p, LabPlan.NodePlan n, String containerId) {
        String sandbox = "/var/run/netns/" + p.netns();
        ObjectNode e = JSON.createObjectNode();
        e.put("kind", "cniCacheV1");
        e.put("containerId", containerId);
        e.put("config", Base64.getEncoder().encodeToString(("{\"cniVersion\":\"0.3.1\",\"name\":\"" + NETWORK
                + "\",\"plugins\":[{\"type\":\"flannel\",\"delegate\":{\"hairpinMode\":true,"
                + "\"isDefaultGateway\":true}},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}")
                .getBytes(StandardCharsets.UTF_8)));
        e.put("ifName", "eth0");
        e.put("networkName", NETWORK);
        e.put("netns", sandbox);
        ArrayNode args = e.putArray("cniArgs");
        for (List<String> kv : List.of(List.of("IgnoreUnknown", "true"), List.of("K8S_POD_NAMESPACE", p.namespace()),
                List.of("K8S_POD_NAME", p.name()), List.of("K8S_POD_INFRA_CONTAINER_ID", containerId))) {
            args.addArray().add(kv.get(0)).add(kv.get(1));
        }
        ObjectNode result = e.putObject("result");
        result.put("cniVersion", "0.3.1");
        ArrayNode interfaces = result.putArray("interfaces");
        interfaces.addObject().put("name", "cni0");
        interfaces.addObject().put("name", p.hostVeth());
        interfaces.addObject().put("name", "eth0").put("mac", p.mac()).put("sandbox", sandbox);
        ArrayNode ips = result.putArray("ips");
        ArrayNode routes = result.putArray("routes");
        for (IpFamily f : plan.families()) {
            // one per family, as the bridge plugin with host-local ranges of both families returns them
            boolean v4 = f == IpFamily.V4;
            String gateway = v4 ? n.gateway() : n.gatewayV6();
            ips.addObject().put("version", v4 ? "4" : "6").put("interface", 2)
                    .put("address", p.ip(f) + (v4 ? "/24" : "/64")).put("gateway", gateway);
            routes.addObject().put("dst", v4 ? "10.244.0.0/16" : Ipv6Plan.CLUSTER_CIDR);
            routes.addObject().put("dst", v4 ? "0.0.0.0/0" : "::/0").put("gw", gateway);
        }
        result.putObject("dns");
        return e;
    }
}
