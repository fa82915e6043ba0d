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
 * SCTP probes without kernel SCTP sockets: a {@link Sender} writes an {@link SctpInit} to a raw IPv4 or IPv6 socket
 * (protocol 132) and a {@link Receiver} reads raw SCTP packets of one family and records which INITs arrived (an IPv4
 * raw socket reads the IP header too, an IPv6 one only the payload; SCTP's checksum has no pseudo-header, so the INIT
 * is the same bytes in both). Netfilter's SCTP conntrack and
 * {@code -m sctp} need no SCTP socket support, so these packets are judged exactly as a client's first packet is.
 * Each socket is created on a {@link NetworkNamespace}'s thread and so belongs to that namespace; it may then be used
 * from any thread. Allowed = the INIT arrived within the timeout (there is no reply: nothing answers it).
 */
public final class RawSctp {

    /** Linux's {@code AF_INET6}. */
    static final int AF_INET6 = 10;

    private RawSctp() {
    }

    private static int rawSocket(NetworkNamespace ns, boolean ipv6) throws Exception {
        return ns.call(() -> {
            int fd = LibC.get().socket(ipv6 ? AF_INET6 : LibC.AF_INET, LibC.SOCK_RAW, SctpInit.PROTOCOL);
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

        /** An IPv4 sender. */
        public static Sender open(NetworkNamespace ns) throws Exception {
            return open(ns, false);
        }

        public static Sender open(NetworkNamespace ns, boolean ipv6) throws Exception {
            return new Sender(rawSocket(ns, ipv6));
        }

        /** To an address of the socket's family. */
        public void send(String address, SctpInit init) throws Exception {
            sendBytes(address, init.encode());
        }

        /** Any SCTP packet (the kernel adds the IP header); tests use it to send damaged ones. */
        void sendBytes(String address, byte[] packet) throws Exception {
            byte[] a = InetAddress.getByName(address).getAddress();
            byte[] sockaddr;
            if (a.length == 4) {
                sockaddr = new byte[16]; // struct sockaddr_in
                sockaddr[0] = (byte) LibC.AF_INET; // sa_family_t, host order (little endian)
                System.arraycopy(a, 0, sockaddr, 4, 4);
            } else {
                // struct sockaddr_in6: family, port 0 (a raw socket's protocol), flow info, address, scope id
                sockaddr = new byte[28];
                sockaddr[0] = (byte) AF_INET6;
                System.arraycopy(a, 0, sockaddr, 8, 16);
            }
            long n = LibC.get().sendto(fd, packet, packet.length, 0, sockaddr, sockaddr.length);
            if (n != packet.length) {
                throw new IllegalStateException("sendto " + address + ": " + LibC.get().strerror(LibC.errno()));
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
        private final boolean ipv6;
        private volatile boolean open = true;

        private Receiver(int fd, String name, boolean ipv6) {
            this.fd = fd;
            this.ipv6 = ipv6;
            byte[] timeval = new byte[16]; // struct timeval {tv_sec; tv_usec}: 100 ms, so close() is noticed
            java.nio.ByteBuffer.wrap(timeval).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(100_000);
            LibC.get().setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, timeval.length);
            reader = new Thread(this::read, "raw-sctp-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** An IPv4 receiver. */
        public static Receiver open(NetworkNamespace ns) throws Exception {
            return open(ns, false);
        }

        public static Receiver open(NetworkNamespace ns, boolean ipv6) throws Exception {
            return new Receiver(rawSocket(ns, ipv6), ns.toString(), ipv6);
        }

        private void read() {
            byte[] buf = new byte[2048];
            while (open) {
                long n = LibC.get().recvfrom(fd, buf, buf.length, 0, null, null);
                if (n > 0) {
                    (ipv6 ? SctpInit.fromSctp(buf, 0, (int) n) : SctpInit.fromIpv4(buf, (int) n)).ifPresent(i -> slot(i.destinationPort(), i.initiateTag())
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
