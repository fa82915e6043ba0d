package dev.weir.iptables.render;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host side of a local pod's network interface: the only place its packets may enter the node from. A
 * {@link Attachment#ROUTED routed} interface (Calico's {@code cali…}, the ptp plugin) is the packet's input device,
 * matched {@code -i NAME}; a {@link Attachment#BRIDGE_PORT bridge port} (flannel's bridge plugin on {@code cni0}) is
 * seen by iptables through {@code br_netfilter}, matched {@code -m physdev --physdev-in NAME}. {@code mac} is the pod's
 * own MAC address behind a bridge port (its layer-2 identity), when known.
 */
public record PodInterface(String name, Attachment attachment, Optional<String> mac) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@:+-]{1,15}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /** How the interface joins the node's network. */
    public enum Attachment {
        ROUTED,
        BRIDGE_PORT
    }

    public PodInterface {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attachment, "attachment");
        mac = Objects.requireNonNull(mac, "mac").map(m -> m.toLowerCase(java.util.Locale.ROOT));
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("\"" + name + "\" is no Linux interface name");
        }
        mac.ifPresent(m -> {
            if (!MAC.matcher(m).matches()) {
                throw new IllegalArgumentException("\"" + m + "\" is no MAC address");
            }
        });
    }

    public static PodInterface routed(String name) {
        return new PodInterface(name, Attachment.ROUTED, Optional.empty());
    }

    public static PodInterface bridgePort(String name, String mac) {
        return new PodInterface(name, Attachment.BRIDGE_PORT, Optional.ofNullable(mac));
    }

    /** The iptables match for packets that entered through this interface, in {@code iptables-save}'s spelling. */
    public String inMatch() {
        return attachment == Attachment.ROUTED ? "-i " + name : "-m physdev --physdev-in " + name;
    }
}
