package dev.weir.agent;

import dev.weir.iptables.sys.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether bridged pod traffic reaches iptables in the namespace the agent programs. On a CNI that puts pods on a bridge
 * (flannel's {@code cni0}) a same-node pod→pod packet is bridged, not routed: iptables sees it only with
 * {@code br_netfilter} loaded and {@code net.bridge.bridge-nf-call-iptables=1}. Routed CNIs (canal's per-pod veths) do
 * not need it. The agent reports what it finds at start; it does not change the setting (kube-proxy and the CNI own it).
 */
enum BridgeNetfilterCheck {
    ENABLED("br_netfilter is loaded and bridge-nf-call-iptables=1: bridged pod traffic is filtered"),
    DISABLED("bridge-nf-call-iptables=0: traffic between pods on the same bridge (e.g. flannel's cni0) bypasses "
            + "iptables and is NOT policed; set net.bridge.bridge-nf-call-iptables=1 (routed CNIs are unaffected)"),
    MODULE_ABSENT("br_netfilter is not loaded: traffic between pods on the same bridge (e.g. flannel's cni0) bypasses "
            + "iptables and is NOT policed; load br_netfilter (routed CNIs are unaffected)"),
    UNKNOWN("could not read net.bridge.bridge-nf-call-iptables");

    static final Path SYSCTL = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");

    private final String message;

    BridgeNetfilterCheck(String message) {
        this.message = message;
    }

    String message() {
        return message;
    }

    boolean ok() {
        return this == ENABLED;
    }

    /** Interprets the sysctl's content; empty when the file does not exist (the module is not loaded). */
    static BridgeNetfilterCheck of(Optional<String> sysctl) {
        if (sysctl.isEmpty()) {
            return MODULE_ABSENT;
        }
        return switch (sysctl.get().trim()) {
            case "1" -> ENABLED;
            case "0" -> DISABLED;
            default -> UNKNOWN;
        };
    }

    /** Reads the sysctl inside {@code netns}: /proc/sys/net resolves against the reading thread's namespace. */
    static BridgeNetfilterCheck read(NetworkNamespace netns) {
        try {
            return of(netns.call(() -> {
                try {
                    return Optional.of(Files.readString(SYSCTL));
                } catch (NoSuchFileException e) {
                    return Optional.<String>empty();
                }
            }));
        } catch (Exception e) { // unreadable for any reason: report, never stop the agent over a diagnosis
            return UNKNOWN;
        }
    }
}
