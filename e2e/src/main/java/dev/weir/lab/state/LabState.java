package dev.weir.lab.state;

import dev.weir.lab.topology.LabPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a running (or crashed) lab consists of, as written to {@code state.json}. Everything the lab creates is
 * recorded here <em>before</em> it is created, so {@code weir lab down} can remove it after any failure.
 *
 * @param status       STARTING while the daemon builds, READY once every pod serves and the API server answers,
 *                     FAILED with {@code message} when start-up failed
 * @param daemonPid    the lab daemon (API server, pod servers, in-process agents)
 * @param netns        network namespaces created or about to be created, in creation order
 * @param pids         other processes the daemon started (SCTP servers, agent processes)
 * @param sctp         whether pods serve SCTP (the kernel may lack it); {@code sctpNote} says why not
 * @param agents       one entry per node agent, empty while no agent runs
 * @param upMillis     how long start-up took
 * @param controller   the weir controller (node {@code controller}), null while none runs
 */
public record LabState(String status, String message, long daemonPid, String prefix, int apiPort, String kubeconfig,
        LabPlan plan, List<String> netns, List<Long> pids, boolean sctp, String sctpNote, List<AgentInfo> agents,
        long upMillis, AgentInfo controller) {

    public static final String STARTING = "STARTING";
    public static final String READY = "READY";
    public static final String FAILED = "FAILED";

    public LabState {
        Objects.requireNonNull(status, "status");
        netns = netns == null ? List.of() : List.copyOf(netns);
        pids = pids == null ? List.of() : List.copyOf(pids);
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    public static LabState starting(long daemonPid, String prefix, LabPlan plan) {
        return new LabState(STARTING, null, daemonPid, prefix, 0, null, plan, List.of(), List.of(), false, null,
                List.of(), 0, null);
    }

    public LabState withNetns(String name) {
        List<String> n = new ArrayList<>(netns);
        if (!n.contains(name)) {
            n.add(name);
        }
        return new LabState(status, message, daemonPid, prefix, apiPort, kubeconfig, plan, n, pids, sctp, sctpNote,
                agents, upMillis, controller);
    }

    public LabState withPid(long pid) {
        List<Long> p = new ArrayList<>(pids);
        p.add(pid);
        return new LabState(status, message, daemonPid, prefix, apiPort, kubeconfig, plan, netns, p, sctp, sctpNote,
                agents, upMillis, controller);
    }

    public LabState withApi(int port, String kubeconfigPath) {
        return new LabState(status, message, daemonPid, prefix, port, kubeconfigPath, plan, netns, pids, sctp,
                sctpNote, agents, upMillis, controller);
    }

    public LabState withSctp(boolean supported, String note) {
        return new LabState(status, message, daemonPid, prefix, apiPort, kubeconfig, plan, netns, pids, supported,
                note, agents, upMillis, controller);
    }

    public LabState withAgent(AgentInfo agent) {
        List<AgentInfo> a = new ArrayList<>(agents);
        a.add(agent);
        return new LabState(status, message, daemonPid, prefix, apiPort, kubeconfig, plan, netns, pids, sctp,
                sctpNote, a, upMillis, controller);
    }

    public LabState withController(AgentInfo info) {
        return new LabState(status, message, daemonPid, prefix, apiPort, kubeconfig, plan, netns, pids, sctp,
                sctpNote, agents, upMillis, info);
    }

    public LabState ready(long millis) {
        return new LabState(READY, null, daemonPid, prefix, apiPort, kubeconfig, plan, netns, pids, sctp, sctpNote,
                agents, millis, controller);
    }

    public LabState failed(String why) {
        return new LabState(FAILED, why, daemonPid, prefix, apiPort, kubeconfig, plan, netns, pids, sctp, sctpNote,
                agents, upMillis, controller);
    }

    /**
     * A node agent: {@code mode} is {@code process} (pid set) or {@code in-process}; {@code httpPort} serves
     * {@code /healthz} and {@code /readyz} inside the node's network namespace.
     */
    public record AgentInfo(String node, String mode, long pid, int httpPort) {
    }
}
