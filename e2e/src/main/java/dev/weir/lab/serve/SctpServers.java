package dev.weir.lab.serve;

import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * SCTP servers as {@code ncat --sctp -l -k} processes started inside each pod's namespace: Java's SCTP channels need
 * libsctp, which these machines lack. Each pid is handed to {@code recordPid} (the state file) as soon as it exists.
 */
public final class SctpServers implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    public static SctpServers start(LabPlan plan, Map<String, NetworkNamespace> netns, LongConsumer recordPid)
            throws Exception {
        SctpServers s = new SctpServers();
        try {
            for (LabPlan.PodPlan pod : plan.pods()) {
                for (ContainerPort p : pod.ports()) {
                    if (p.protocol() != Protocol.SCTP) {
                        continue;
                    }
                    for (String address : plan.addresses(pod)) {
                        ProcessBuilder pb = new ProcessBuilder("ncat", "--sctp", "-l", "-k", "--sh-exec",
                                "echo " + pod.key(), address, String.valueOf(p.port()))
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                        Process proc = netns.get(pod.key()).start(pb);
                        recordPid.accept(proc.pid());
                        s.processes.add(proc);
                    }
                }
            }
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
    }
}
