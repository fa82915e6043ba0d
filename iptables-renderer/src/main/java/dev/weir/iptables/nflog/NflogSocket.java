package dev.weir.iptables.nflog;

import dev.weir.iptables.sys.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket bound to one NFLOG group ({@code socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER)}, configured over
 * nfnetlink_log's NFULNL_MSG_CONFIG): weir's own, so it needs no libnetfilter_log and decodes in Java.
 *
 * <p>A netlink socket belongs to the network namespace of the thread that creates it: call {@link #open} on a thread
 * in the namespace whose rules log (the node's; in tests {@code NetworkNamespace.call}). After that it may be used from
 * any thread, but from one at a time.
 *
 * <p>Closing the socket releases the group (the kernel destroys a departed port id's instances), so another socket
 * can bind it at once.
 */
public final class NflogSocket implements NflogSource {

    private static final Logger LOG = LoggerFactory.getLogger(NflogSocket.class);

    /** Larger than any datagram the kernel sends us: a batch is at most the instance's nlbufsiz (≤ 128 KiB). */
    static final int RECEIVE_BYTES = 256 * 1024;
    private static final int SOCKADDR_NL = 12;
    private static final long ACK_WAIT_NANOS = 2_000_000_000L;
    private static final Path INSTANCES = Path.of("/proc/thread-self/net/netfilter/nfnetlink_log");
    private static final int OVERRUN = -1;
    private static final int FOREIGN = -2;
    /** Another process can unicast to our port id; such a datagram is dropped and counted as one malformed. */
    private static final NflogBatch FOREIGN_BATCH = new NflogBatch(List.of(), 1, false);

    private final LibC libc = LibC.get();
    private final int fd;
    private final int portId;
    private final NflogConfig config;
    private final Pointer buffer;
    private final Pointer from;
    private final Pointer fromLen;
    private final byte[] heap = new byte[RECEIVE_BYTES];
    private final Deque<NflogBatch> pending = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int seq;

    private NflogSocket(int fd, int portId, NflogConfig config) {
        this.fd = fd;
        this.portId = portId;
        this.config = config;
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.buffer = Memory.allocateDirect(runtime, RECEIVE_BYTES);
        this.from = Memory.allocateDirect(runtime, SOCKADDR_NL);
        this.fromLen = Memory.allocateDirect(runtime, 4);
    }

    /**
     * Opens a socket in the calling thread's network namespace and binds {@code config.group()}.
     *
     * @throws NflogGroupBusyException when another socket holds the group
     * @throws NflogException          when the socket cannot be made or the kernel refuses the configuration
     */
    public static NflogSocket open(NflogConfig config) throws NflogException {
        LibC libc = LibC.get();
        int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_NETFILTER);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK, NETLINK_NETFILTER)", LibC.errno());
        }
        NflogSocket socket = null;
        try {
            receiveBuffer(libc, fd, config.receiveBuffer());
            byte[] timeval = Bytes.host(16).putLong(config.receiveTimeout().toSeconds())
                    .putLong(config.receiveTimeout().toNanosPart() / 1000).array();
            check(libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, timeval.length), "SO_RCVTIMEO");
            check(libc.bind(fd, sockaddrNl(0), SOCKADDR_NL), "bind(AF_NETLINK)");
            byte[] self = new byte[SOCKADDR_NL];
            int[] selfLen = {SOCKADDR_NL};
            check(libc.getsockname(fd, self, selfLen), "getsockname");
            socket = new NflogSocket(fd, Bytes.host(self).getInt(4), config);
            socket.configure();
            return socket;
        } catch (NflogException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            } else {
                libc.close(fd);
            }
            throw e;
        }
    }

    /** SO_RCVBUFFORCE (root may exceed net.core.rmem_max), else SO_RCVBUF (capped by rmem_max). */
    private static void receiveBuffer(LibC libc, int fd, int bytes) throws NflogException {
        byte[] value = Bytes.host(4).putInt(bytes).array();
        if (libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, value, 4) != 0) {
            check(libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, value, 4), "SO_RCVBUF");
        }
    }

    private void configure() throws NflogException {
        if (familyBindWanted(config.familyBind())) {
            for (int family : new int[] {Netlink.AF_INET, Netlink.AF_INET6}) {
                // errors ignored: a kernel that logs by type has nothing to unbind, and a failed PF_BIND still
                // leaves the group reachable through NFLOG rules
                int unbind = request(NflogRequests.familyCommand(Netlink.NFULNL_CFG_CMD_PF_UNBIND, family, ++seq));
                int bind = request(NflogRequests.familyCommand(Netlink.NFULNL_CFG_CMD_PF_BIND, family, ++seq));
                LOG.debug("nfnetlink_log PF_UNBIND/PF_BIND family {}: errno {}/{}", family, unbind, bind);
            }
        }
        int errno = request(NflogRequests.bind(config, ++seq));
        if (errno == LibC.EBUSY || errno == LibC.EPERM) {
            long holder = holderOf(config.group());
            if (errno == LibC.EBUSY || holder > 0) {
                throw new NflogGroupBusyException(config.group(), holder, errno);
            }
        }
        if (errno != 0) {
            throw failure("binding NFLOG group " + config.group() + (errno == LibC.EPERM
                    ? " (needs CAP_NET_ADMIN in the namespace)" : ""), errno);
        }
    }

    /** Sends one request and waits for its ACK; 0 or the errno. Packets that come in the meantime are kept. */
    private int request(byte[] message) throws NflogException {
        int sequence = seq;
        long n = libc.sendto(fd, message, message.length, 0, sockaddrNl(0), SOCKADDR_NL);
        if (n != message.length) {
            throw failure("sending nfnetlink_log config", LibC.errno());
        }
        int[] answer = {Integer.MIN_VALUE};
        long deadline = System.nanoTime() + ACK_WAIT_NANOS;
        while (answer[0] == Integer.MIN_VALUE) {
            if (System.nanoTime() - deadline > 0) {
                throw new NflogException("no answer from nfnetlink_log to config request " + sequence
                        + " (group " + config.group() + ")", 0);
            }
            int len = receiveInto();
            if (len == OVERRUN) {
                pending.add(NflogBatch.OVERRUN);
            } else if (len == FOREIGN) {
                pending.add(FOREIGN_BATCH);
            } else if (len > 0) {
                NflogBatch batch = NflogMessages.parse(heap, len, (s, errno) -> {
                    if (s == sequence) {
                        answer[0] = errno;
                    }
                });
                if (!batch.isEmpty()) {
                    pending.add(batch);
                }
            }
        }
        return answer[0];
    }

    @Override
    public NflogBatch receive() throws NflogException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        int len = receiveInto();
        if (len == OVERRUN) {
            return NflogBatch.OVERRUN;
        }
        if (len == FOREIGN) {
            return FOREIGN_BATCH;
        }
        return len > 0 ? NflogMessages.parse(heap, len) : NflogBatch.EMPTY;
    }

    /**
     * One recvfrom into {@link #heap}: its length, 0 when the wait timed out (or a signal interrupted it),
     * {@link #OVERRUN} after an overrun, {@link #FOREIGN} for a datagram that did not come from the kernel.
     */
    private int receiveInto() throws NflogException {
        if (closed.get()) {
            throw new NflogException("NFLOG socket for group " + config.group() + " is closed", 0);
        }
        fromLen.putInt(0, SOCKADDR_NL);
        long n = libc.recvfrom(fd, buffer, RECEIVE_BYTES, 0, from, fromLen);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                return 0;
            }
            if (errno == LibC.ENOBUFS) {
                return OVERRUN;
            }
            throw failure("receiving from NFLOG group " + config.group(), errno);
        }
        if (from.getInt(4) != 0) {
            // another process unicast to our port id: only the kernel (port id 0) reports packets
            LOG.debug("dropped a {}-byte datagram from netlink port id {}", n, from.getInt(4) & 0xffffffffL);
            return FOREIGN;
        }
        int len = (int) Math.min(n, RECEIVE_BYTES);
        buffer.get(0, heap, 0, len);
        return len;
    }

    /** The group's holder port id from {@code /proc/net/netfilter/nfnetlink_log} (this thread's namespace), or 0. */
    private static long holderOf(int group) {
        try {
            return holderOf(Files.readString(INSTANCES), group);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Lines are "group portid qlen copy_mode copy_range flush_timeout refcount", numbers in decimal. */
    static long holderOf(String instances, int group) {
        for (String line : instances.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(Integer.toString(group))) {
                try {
                    return Long.parseLong(f[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static boolean familyBindWanted(NflogConfig.FamilyBind mode) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> {
                try {
                    yield familyBindNeeded(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
                } catch (IOException e) {
                    yield false;
                }
            }
        };
    }

    /** True for kernels older than 3.17 (release text like {@code 3.10.0-1160.el7.x86_64}). */
    static boolean familyBindNeeded(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release.trim());
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major < 3 || (major == 3 && minor < 17);
    }

    private static byte[] sockaddrNl(int pid) {
        return Bytes.host(SOCKADDR_NL).putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(0)
                .array();
    }

    private static void check(int rc, String what) throws NflogException {
        if (rc != 0) {
            throw failure(what, LibC.errno());
        }
    }

    private static NflogException failure(String what, int errno) {
        return new NflogException(what + ": " + LibC.get().strerror(errno) + " (errno " + errno + ")", errno);
    }

    public int group() {
        return config.group();
    }

    /** This socket's netlink port id, as {@code /proc/net/netfilter/nfnetlink_log} shows the group's holder. */
    public long portId() {
        return portId & 0xffffffffL;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "NflogSocket[group " + config.group() + ", port id " + portId() + "]";
    }

    /** Small byte-array builders in the host's order (netlink and socket option structs). */
    private static final class Bytes {
        static ByteBuffer host(int size) {
            return ByteBuffer.allocate(size).order(Netlink.HOST);
        }

        static ByteBuffer host(byte[] b) {
            return ByteBuffer.wrap(b).order(Netlink.HOST);
        }
    }
}
