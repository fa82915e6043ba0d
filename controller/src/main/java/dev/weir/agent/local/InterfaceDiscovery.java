package dev.weir.agent.local;

import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the host-side interface of each local pod ({@link HostInterfaceDiscovery} on a real node). The agent calls
 * {@link #scan} often, from its own thread, and {@link #discover} from the sync thread when the scan or the pods
 * changed; both may throw when the node cannot be read (no {@code ip} binary, say), which the agent logs and survives.
 */
public interface InterfaceDiscovery {

    /** Discovers nothing: every pod stays unknown (tests that do not care, a node with anti-spoofing off). */
    InterfaceDiscovery NONE = new InterfaceDiscovery() {
        @Override
        public Fingerprint scan() {
            return Fingerprint.NONE;
        }

        @Override
        public Discovery discover(Map<ObjectKey, List<IpAddress>> pods) {
            Map<ObjectKey, String> unknown = new TreeMap<>();
            pods.keySet().forEach(p -> unknown.put(p, "interface discovery is off"));
            return new Discovery(new InterfaceBindings(new TreeMap<>(), new TreeMap<>(unknown)), Fingerprint.NONE);
        }

        @Override
        public String toString() {
            return "no interface discovery";
        }
    };

    /** The cheap reading: host routes and the CNI cache listing. */
    Fingerprint scan() throws Exception;

    /** Each of {@code pods} (key → its addresses) bound to its interface or left unknown with the reason. */
    Discovery discover(Map<ObjectKey, List<IpAddress>> pods) throws Exception;
}
