package dev.weir.service;

import java.util.Objects;

/**
 * Where a client sends a packet for a Service: its cluster IP (DNAT'd on the client's own node), or a node's address
 * on the Service's node port (DNAT'd on that node).
 */
public sealed interface ServiceEntry {

    /** How tables and reasons name the entry: {@code ClusterIP} or {@code NodePort on wl-n1}. */
    String describe();

    record ClusterIp() implements ServiceEntry {
        @Override
        public String describe() {
            return "ClusterIP";
        }
    }

    record NodePort(String node) implements ServiceEntry {
        public NodePort {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public String describe() {
            return "NodePort on " + node;
        }
    }
}
