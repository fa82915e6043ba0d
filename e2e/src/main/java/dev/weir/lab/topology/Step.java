package dev.weir.lab.topology;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One step of building a lab, as data; {@link TopologyBuilder} runs them in order. */
public sealed interface Step {

    /** {@code ip netns add NAME}. Recorded in the state file before it runs, so {@code down} finds it after a crash. */
    record AddNetns(String name) implements Step {
    }

    /** {@code ip -n NETNS -batch -} with these lines: every link, address, route and neighbour entry. */
    record IpBatch(String netns, List<String> lines) implements Step {
        public IpBatch {
            lines = List.copyOf(lines);
        }
    }

    /** {@code bridge -n NETNS -batch -}: forwarding-database entries (VXLAN peers), which {@code ip} cannot set. */
    record BridgeBatch(String netns, List<String> lines) implements Step {
        public BridgeBatch {
            lines = List.copyOf(lines);
        }
    }

    /** {@code iptables-restore --noflush} inside NETNS with this input: rules other software keeps on a node. */
    record IptablesRestore(String netns, String text) implements Step {
    }

    /** Values written under /proc/sys inside NETNS (per network namespace for everything under net/). */
    record Sysctl(String netns, Map<String, String> values) implements Step {
        public Sysctl {
            values = Collections.unmodifiableMap(new TreeMap<>(values));
        }
    }
}
