package dev.weir.lab.topology;

import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.sys.CommandRunner;
import dev.weir.model.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a {@link TopologyScript} with {@code ip}. Before each namespace is created its name is handed to
 * {@code recordNetns} (the state file), so {@code weir lab down} can remove it even if this process dies mid-way.
 */
public final class TopologyBuilder {

    private final CommandRunner runner;
    private final Consumer<String> recordNetns;
    private final IptablesBackend nodeIptables;

    /**
     * @param nodeIptables the iptables the nodes' own software uses: flannel's rules are written with it, as
     *                     flanneld on such a node would write them
     */
    public TopologyBuilder(CommandRunner runner, Consumer<String> recordNetns, IptablesBackend nodeIptables) {
        this.runner = runner;
        this.recordNetns = recordNetns;
        this.nodeIptables = nodeIptables;
    }

    public void build(LabPlan plan) {
        if (plan.topology() == Topology.FLANNEL) {
            requireBrNetfilter();
        }
        for (Step step : TopologyScript.steps(plan)) {
            run(step);
        }
    }

    private void run(Step step) {
        if (step instanceof Step.AddNetns a) {
            recordNetns.accept(a.name());
            runner.check(List.of("ip", "netns", "add", a.name()), null);
        } else if (step instanceof Step.IpBatch b) {
            runner.check(List.of("ip", "-n", b.netns(), "-batch", "-"), String.join("\n", b.lines()) + "\n");
        } else if (step instanceof Step.BridgeBatch b) {
            runner.check(List.of("bridge", "-n", b.netns(), "-batch", "-"), String.join("\n", b.lines()) + "\n");
        } else if (step instanceof Step.IptablesRestore r) {
            runner.check(List.of("ip", "netns", "exec", r.netns(), nodeIptables.restoreBinary(IpFamily.V4),
                    "--noflush", "--wait"),
                    r.text());
        } else if (step instanceof Step.Sysctl s) {
            // written through /proc by a shell inside the namespace: no dependency on procps' sysctl binary
            StringBuilder script = new StringBuilder("set -e");
            for (Map.Entry<String, String> e : s.values().entrySet()) {
                script.append("; echo ").append(e.getValue()).append(" > /proc/sys/")
                        .append(e.getKey().replace('.', '/'));
            }
            runner.check(List.of("ip", "netns", "exec", s.netns(), "sh", "-c", script.toString()), null);
        } else {
            throw new AssertionError(step);
        }
    }

    /** flannel's cni0 bridges pod traffic; without br_netfilter iptables never sees it and policy cannot apply. */
    private void requireBrNetfilter() {
        Path bridgeSysctls = Path.of("/proc/sys/net/bridge");
        if (Files.isDirectory(bridgeSysctls)) {
            return;
        }
        runner.run(List.of("modprobe", "br_netfilter"), null);
        if (!Files.isDirectory(bridgeSysctls)) {
            throw new IllegalStateException("the flannel topology needs br_netfilter (bridged pod traffic must pass "
                    + "iptables), but it is not loaded and `modprobe br_netfilter` did not load it; "
                    + "load it, or use --topology canal");
        }
    }
}
