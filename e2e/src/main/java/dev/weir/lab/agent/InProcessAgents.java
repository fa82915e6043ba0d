package dev.weir.lab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * Agents inside the lab daemon's JVM, sharing its API client: cheaper than a JVM per node and easy to debug.
 *
 * <p>HOOK(agent): when {@code dev.weir.agent} lands, this becomes, per node,
 * {@code NodeAgent.start(config, client, NetworkNamespace.named(node))} with an {@code AgentConfig} carrying
 * {@code node}, {@code netns = node}, {@code httpPort} and a short min-sync interval, and the returned handle's
 * {@code close()}. Until then {@code --agents in-process} says it is not available; {@code --agents process} works
 * as soon as {@code weir agent} is registered.
 */
public final class InProcessAgents implements AgentLauncher {

    @Override
    public Handle start(String node, Path kubeconfig, KubernetesClient client, int httpPort) {
        throw new UnsupportedOperationException("in-process agents need dev.weir.agent.NodeAgent, which is not in "
                + "this build yet; use --agents process or none");
    }
}
