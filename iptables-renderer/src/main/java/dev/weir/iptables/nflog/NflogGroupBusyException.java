package dev.weir.iptables.nflog;

import java.util.OptionalLong;

/**
 * The NFLOG group is bound by another netlink socket: nfnetlink_log gives each group to one socket per network
 * namespace, and refuses the rest (EPERM from a different socket, EBUSY from the same one). Typically another weir
 * agent, an older one still shutting down, or ulogd configured for the same group.
 */
public final class NflogGroupBusyException extends NflogException {

    private static final long serialVersionUID = 1L;

    private final int group;
    private final long holder;

    NflogGroupBusyException(int group, long holderPortId, int errno) {
        super("NFLOG group " + group + " is already bound by another netlink socket"
                + (holderPortId > 0 ? " (port id " + holderPortId + ")" : ""), errno);
        this.group = group;
        this.holder = holderPortId;
    }

    public int group() {
        return group;
    }

    /** The holder's netlink port id, as {@code /proc/net/netfilter/nfnetlink_log} lists it, when it could be read. */
    public OptionalLong holderPortId() {
        return holder > 0 ? OptionalLong.of(holder) : OptionalLong.empty();
    }
}
