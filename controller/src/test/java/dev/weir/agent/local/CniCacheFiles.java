package dev.weir.agent.local;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * CNI cache files shaped as libcni writes them for a pod on flannel (network {@code cbr0}: flannel delegating to the
 * bridge plugin on {@code cni0}, then portmap): the cached config, the kubelet's CNI args, and a 0.3.1 result whose
 * interfaces are the bridge, the host veth and the pod's {@code eth0} (with its sandbox), and whose address is on
 * {@code eth0}.
 */
final class CniCacheFiles {

    static final String BRIDGE_MAC = "de:dc:48:cb:3d:2c";

    private CniCacheFiles() {
    }

    /** The file name libcni gives the entry: {@code <network>-<container id>-<ifName>}. */
    static String name(String containerId) {
        return "cbr0-" + containerId + "-eth0";
    }

    static String flannel(String containerId, String namespace, String pod, String hostVeth, String podIp,
            String podMac) {
        String config = Base64.getEncoder().encodeToString(("{\"cniVersion\":\"0.3.1\",\"name\":\"cbr0\",\"plugins\":"
                + "[{\"delegate\":{\"hairpinMode\":true,\"isDefaultGateway\":true},\"type\":\"flannel\"},"
                + "{\"capabilities\":{\"portMappings\":true},\"type\":\"portmap\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        String sandbox = "/var/run/netns/cni-" + containerId.substring(0, 8);
        return """
                {"kind":"cniCacheV1","containerId":"%1$s","config":"%2$s","ifName":"eth0","networkName":"cbr0",\
                "netns":"%3$s","cniArgs":[["K8S_POD_INFRA_CONTAINER_ID","%1$s"],\
                ["K8S_POD_UID","6f1d2c3b-0d5e-4a5b-9c1d-2e3f4a5b6c7d"],["IgnoreUnknown","1"],\
                ["K8S_POD_NAMESPACE","%4$s"],["K8S_POD_NAME","%5$s"]],\
                "capabilityArgs":{"io.kubernetes.cri.pod-annotations":{},"portMappings":[]},\
                "result":{"cniVersion":"0.3.1","interfaces":[{"name":"cni0","mac":"%9$s"},\
                {"name":"%6$s","mac":"5e:1f:22:33:44:55"},{"name":"eth0","mac":"%8$s","sandbox":"%3$s"}],\
                "ips":[{"version":"4","interface":2,"address":"%7$s/24","gateway":"10.244.1.1"}],\
                "routes":[{"dst":"10.244.0.0/16"},{"dst":"0.0.0.0/0","gw":"10.244.1.1"}],"dns":{}}}
                """.formatted(containerId, config, sandbox, namespace, pod, hostVeth, podIp, podMac, BRIDGE_MAC);
    }
}
