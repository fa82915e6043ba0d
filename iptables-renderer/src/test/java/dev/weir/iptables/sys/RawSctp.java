package dev.weir.iptables.sys;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SCTP probes without kernel SCTP sockets: a {@link Sender} writes an {@link SctpInit} to a raw IPv4 socket (protocol
 * 132) and a {@link Receiver} reads raw SCTP packets and records which INITs arrived. Netfilter's SCTP conntrack and
 * {@code -m sctp} need no SCTP socket support, so these packets are judged exactly as a client's first packet is.
 * Each socket is created on a {@link NetworkNamespace}'s thread and so belongs to that namespace; it may then be used
 * from any thread. Allowed = the INIT arrived within the timeout (there is no reply: nothing answers it).
 */
public final class RawSctp {

    private RawSctp() {
    }

    private static int rawSocket(NetworkNamespace ns) throws Exception {
        return ns.call(() -> {
            int fd = LibC.get().socket(LibC.AF_INET, LibC.SOCK_RAW, SctpInit.PROTOCOL);
            if (fd < 0) {
                int errno = LibC.errno();
                throw new IllegalStateException("raw SCTP socket in " + ns + ": " + LibC.get().strerror(errno));
            }
            return fd;
        });
    }

    /** Sends INITs from one network namespace. */
    public static final class Sender implements AutoCloseable {
        private final int fd;

        private Sender(int fd) {
            this.fd = fd;
        }

        public static Sender open(NetworkNamespace ns) throws Exception {
            return new Sender(rawSocket(ns));
        }

        public void send(String ipv4, SctpInit init) throws Exception {
            sendBytes(ipv4, init.encode());
        }

        /** Any SCTP packet (the kernel adds the IP header); tests use it to send damaged ones. */
        void sendBytes(String ipv4, byte[] packet) throws Exception {
            byte[] a = InetAddress.getByName(ipv4).getAddress();
            byte[] sockaddr = new byte[16];
            sockaddr[0] = (byte) LibC.AF_INET; // sa_family_t, host order (little endian)
            System.arraycopy(a, 0, sockaddr, 4, 4);
            long n = LibC.get().sendto(fd, packet, packet.length, 0, sockaddr, sockaddr.length);
            if (n != packet.length) {
                throw new IllegalStateException("sendto " + ipv4 + ": " + LibC.get().strerror(LibC.errno()));
            }
        }

        @Override
        public void close() {
            LibC.get().close(fd);
        }
    }

    /**
     * Reads every SCTP packet arriving in one network namespace on a daemon thread and remembers each INIT by
     * (destination port, initiate tag) until {@link #await} collects it.
     */
    public static final class Receiver implements AutoCloseable {
        private final int fd;
        private final Map<Long, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile boolean open = true;

        private Receiver(int fd, String name) {
            this.fd = fd;
            byte[] timeval = new byte[16]; // struct timeval {tv_sec; tv_usec}: 100 ms, so close() is noticed
            java.nio.ByteBuffer.wrap(timeval).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(100_000);
            LibC.get().setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, timeval.length);
            reader = new Thread(this::read, "raw-sctp-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        public static Receiver open(NetworkNamespace ns) throws Exception {
            return new Receiver(rawSocket(ns), ns.toString());
        }

        private void read() {
            byte[] buf = new byte[2048];
            while (open) {
                long n = LibC.get().recvfrom(fd, buf, buf.length, 0, null, null);
                if (n > 0) {
                    SctpInit.fromIpv4(buf, (int) n).ifPresent(i -> slot(i.destinationPort(), i.initiateTag())
                            .complete(null));
                }
            }
        }

        private CompletableFuture<Void> slot(int port, int tag) {
            return arrivals.computeIfAbsent(((long) port << 32) | (tag & 0xffffffffL), k -> new CompletableFuture<>());
        }

        /** Whether the INIT to {@code port} with {@code tag} arrived (or arrives within {@code timeout}). */
        public boolean await(int port, int tag, Duration timeout) throws InterruptedException {
            CompletableFuture<Void> f = slot(port, tag);
            try {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } finally {
                arrivals.remove(((long) port << 32) | (tag & 0xffffffffL));
            }
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            reader.join(1000);
            LibC.get().close(fd);
        }
    }
}
