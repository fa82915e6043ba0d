package dev.weir.iptables.nflog;

import java.nio.ByteOrder;

/**
 * Numbers and layout of netlink, nfnetlink and nfnetlink_log as the Linux uapi headers define them
 * ({@code linux/netlink.h}, {@code linux/netfilter/nfnetlink.h}, {@code linux/netfilter/nfnetlink_log.h}). Netlink
 * headers ({@code nlmsghdr}, {@code nlattr}) are in the host's byte order; nfnetlink_log's values (group, mark,
 * interface indexes, sequence, timestamp, the config values) are big-endian.
 */
final class Netlink {

    static final ByteOrder HOST = ByteOrder.nativeOrder();

    static final int NLMSG_HDRLEN = 16;
    static final int NLA_HDRLEN = 4;
    static final int NFGENMSG_LEN = 4;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;

    /** nla_type's top bits flag nested and network-order attributes; the type is what is left. */
    static final int NLA_TYPE_MASK = ~(0x8000 | 0x4000) & 0xffff;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int NFNETLINK_V0 = 0;
    static final int NFNL_SUBSYS_ULOG = 4;
    static final int NFULNL_MSG_PACKET = NFNL_SUBSYS_ULOG << 8;
    static final int NFULNL_MSG_CONFIG = (NFNL_SUBSYS_ULOG << 8) | 1;

    // enum nfulnl_attr_type
    static final int NFULA_PACKET_HDR = 1;
    static final int NFULA_MARK = 2;
    static final int NFULA_TIMESTAMP = 3;
    static final int NFULA_IFINDEX_INDEV = 4;
    static final int NFULA_IFINDEX_OUTDEV = 5;
    static final int NFULA_IFINDEX_PHYSINDEV = 6;
    static final int NFULA_IFINDEX_PHYSOUTDEV = 7;
    static final int NFULA_PAYLOAD = 9;
    static final int NFULA_PREFIX = 10;
    static final int NFULA_SEQ = 12;

    // enum nfulnl_attr_config
    static final int NFULA_CFG_CMD = 1;
    static final int NFULA_CFG_MODE = 2;
    static final int NFULA_CFG_NLBUFSIZ = 3;
    static final int NFULA_CFG_TIMEOUT = 4;
    static final int NFULA_CFG_QTHRESH = 5;
    static final int NFULA_CFG_FLAGS = 6;

    // enum nfulnl_msg_config_cmds
    static final int NFULNL_CFG_CMD_BIND = 1;
    static final int NFULNL_CFG_CMD_PF_BIND = 3;
    static final int NFULNL_CFG_CMD_PF_UNBIND = 4;

    static final int NFULNL_COPY_PACKET = 2;
    /** Ask for NFULA_SEQ on every packet: gaps in it count what the kernel could not deliver. */
    static final int NFULNL_CFG_F_SEQ = 0x1;
    /** NFULNL_COPY_RANGE_MAX: the payload must fit one attribute, whose length is 16 bits with its header. */
    static final int COPY_RANGE_LIMIT = 0xffff - NLA_HDRLEN;

    private Netlink() {
    }

    /** Netlink pads every message and attribute to 4 bytes. */
    static int align(int len) {
        return (len + 3) & ~3;
    }
}
