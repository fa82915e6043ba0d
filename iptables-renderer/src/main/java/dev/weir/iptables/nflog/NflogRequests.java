package dev.weir.iptables.nflog;

import static dev.weir.iptables.nflog.Netlink.NLA_HDRLEN;
import static dev.weir.iptables.nflog.Netlink.NLMSG_HDRLEN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NFULNL_MSG_CONFIG requests an {@link NflogSocket} sends, as bytes (pure, so tests compare them byte by byte).
 * Each asks for an ACK ({@code NLM_F_ACK}), so a refusal comes back as an NLMSG_ERROR with its errno.
 */
final class NflogRequests {

    private NflogRequests() {
    }

    /** PF_BIND / PF_UNBIND for one protocol family (pre-3.17 kernels; see {@link NflogConfig.FamilyBind}). */
    static byte[] familyCommand(int command, int family, int seq) {
        Message m = new Message(family, 0, seq);
        m.attribute(Netlink.NFULA_CFG_CMD, 1).put((byte) command);
        return m.finish();
    }

    /**
     * One message that binds the group and sets it up: the kernel applies BIND, then the copy mode, flags and batching
     * in the same call, so no packet is logged with the instance's defaults after our ACK.
     */
    static byte[] bind(NflogConfig config, int seq) {
        Message m = new Message(Netlink.AF_UNSPEC, config.group(), seq);
        m.attribute(Netlink.NFULA_CFG_CMD, 1).put((byte) Netlink.NFULNL_CFG_CMD_BIND);
        // struct nfulnl_msg_config_mode (packed): __be32 copy_range, __u8 copy_mode, __u8 _pad
        m.attribute(Netlink.NFULA_CFG_MODE, 6).putInt(config.copyRange()).put((byte) Netlink.NFULNL_COPY_PACKET)
                .put((byte) 0);
        m.attribute(Netlink.NFULA_CFG_FLAGS, 2).putShort((short) Netlink.NFULNL_CFG_F_SEQ);
        if (config.flushTimeout() != null) {
            m.attribute(Netlink.NFULA_CFG_TIMEOUT, 4).putInt((int) (config.flushTimeout().toMillis() / 10));
        }
        if (config.queueThreshold() > 0) {
            m.attribute(Netlink.NFULA_CFG_QTHRESH, 4).putInt(config.queueThreshold());
        }
        return m.finish();
    }

    /** nlmsghdr + nfgenmsg + attributes, built in one buffer; attribute values are big-endian. */
    private static final class Message {
        private final ByteBuffer b = ByteBuffer.allocate(256).order(Netlink.HOST);
        private int pendingAttribute = -1;

        Message(int family, int resId, int seq) {
            b.putInt(0); // nlmsg_len, set by finish()
            b.putShort((short) Netlink.NFULNL_MSG_CONFIG);
            b.putShort((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK));
            b.putInt(seq);
            b.putInt(0); // nlmsg_pid: the kernel fills in the sender's port id
            b.put((byte) family).put((byte) Netlink.NFNETLINK_V0);
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) resId).order(Netlink.HOST);
        }

        /** Starts an attribute of {@code size} value bytes; returns the buffer, big-endian, for the value. */
        ByteBuffer attribute(int type, int size) {
            pad();
            b.order(Netlink.HOST).putShort((short) (NLA_HDRLEN + size)).putShort((short) type);
            pendingAttribute = b.position() + size;
            return b.order(ByteOrder.BIG_ENDIAN);
        }

        private void pad() {
            if (pendingAttribute >= 0 && b.position() != pendingAttribute) {
                throw new IllegalStateException("attribute value of the wrong size");
            }
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }

        byte[] finish() {
            pad();
            int len = b.position();
            b.order(Netlink.HOST).putInt(0, len);
            byte[] out = new byte[len];
            b.get(0, out, 0, len);
            assert len >= NLMSG_HDRLEN;
            return out;
        }
    }
}
