package dev.weir.lab;

import dev.weir.lab.spec.LabSpec;
import java.util.Objects;

/**
 * What {@code weir lab up} asks the daemon for ({@code request.json} in the state directory).
 *
 * @param prefix        network namespace name prefix ({@code wl-}); {@code down} sweeps namespaces with it
 * @param apiPort       the API server's port on 127.0.0.1 (0: any free port)
 * @param agents        {@code none}, {@code process}, {@code in-process} or {@code auto} (process when
 *                      {@code weir agent} exists)
 * @param agentHttpBase agent on node i serves HTTP on 127.0.0.1:{@code agentHttpBase + i}
 * @param nodeIptables  the nodes' iptables backend, {@code nft} or {@code legacy}: kubelet's hint chains are left in
 *                      it ({@code NodeIptables}); null means nft
 * @param image         with {@code --agents image}: the directory {@code images/build} wrote (null: the checkout's
 *                      {@code images/target})
 * @param chart         with {@code --agents image}: the Helm chart whose agent DaemonSet the lab follows (null: the
 *                      checkout's {@code charts/weir})
 */
public record LabRequest(LabSpec spec, String prefix, int apiPort, String agents, int agentHttpBase,
                         String nodeIptables, String image, String chart) {

    public static final String DEFAULT_PREFIX = "wl-";
    public static final int DEFAULT_API_PORT = 18443;
    public static final int DEFAULT_AGENT_HTTP_BASE = 19100;

    public LabRequest {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(agents, "agents");
        nodeIptables = nodeIptables == null ? "nft" : nodeIptables;
    }

    public LabRequest(LabSpec spec, String prefix, int apiPort, String agents, int agentHttpBase) {
        this(spec, prefix, apiPort, agents, agentHttpBase, null, null, null);
    }
}
