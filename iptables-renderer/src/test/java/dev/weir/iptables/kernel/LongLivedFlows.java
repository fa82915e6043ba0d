package dev.weir.iptables.kernel;

import dev.weir.iptables.sys.NetworkNamespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Long-lived TCP and UDP flows between namespaces, each sending a heartbeat byte every 100 ms to an echo server, so a
 * test sees whether a flow still delivers (its echoes keep coming) and when it stopped. The sockets live in this JVM,
 * each opened on its namespace's thread; {@link #close()} closes them all, which ends every thread. Shared by the kernel
 * test of revocation and the lab's ({@code e2e}: this is part of the tests jar).
 */
public final class LongLivedFlows implements AutoCloseable {

    private static final int HEARTBEAT_MILLIS = 100;

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** Echo servers on {@code address} in {@code ns}: TCP echoes each byte on its connection, UDP each datagram. */
    public void echoServers(NetworkNamespace ns, String address, int tcpPort, int udpPort) throws Exception {
        ServerSocket tcp = ns.call(() -> new ServerSocket(tcpPort, 16, InetAddress.getByName(address)));
        open.add(tcp);
        DatagramSocket udp = ns.call(() -> new DatagramSocket(new InetSocketAddress(address, udpPort)));
        open.add(udp);
        daemon(() -> {
            while (!tcp.isClosed()) {
                Socket s = tcp.accept();
                open.add(s);
                daemon(() -> {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (int b = in.read(); b >= 0; b = in.read()) {
                        out.write(b);
                        out.flush();
                    }
                });
            }
        });
        daemon(() -> {
            byte[] buf = new byte[64];
            while (!udp.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            }
        });
    }

    /** A TCP connection from {@code from} (in {@code ns}) to {@code to:port}, echoing a heartbeat. */
    public Heartbeat tcp(String name, NetworkNamespace ns, String from, String to, int port) throws Exception {
        Socket s = ns.call(() -> {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(to, port), 2000);
            socket.setSoTimeout(200);
            return socket;
        });
        return heartbeat(name, s, s::isClosed, () -> {
            s.getOutputStream().write('.');
            s.getOutputStream().flush();
        }, () -> s.getInputStream().read() >= 0);
    }

    /** A UDP flow (one connected socket, so one source port) from {@code from} to {@code to:port}. */
    public Heartbeat udp(String name, NetworkNamespace ns, String from, String to, int port) throws Exception {
        DatagramSocket s = ns.call(() -> {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(to, port));
            socket.setSoTimeout(200);
            return socket;
        });
        byte[] buf = new byte[64];
        return heartbeat(name, s, s::isClosed, () -> s.send(new DatagramPacket(new byte[] {'.'}, 1)), () -> {
            s.receive(new DatagramPacket(buf, buf.length));
            return true;
        });
    }

    /** Sends every {@value HEARTBEAT_MILLIS} ms and counts what comes back; {@code receive} is false at end of stream. */
    private Heartbeat heartbeat(String name, AutoCloseable socket, BooleanSupplier closed, Work send, Receive receive) {
        open.add(socket);
        Heartbeat h = new Heartbeat(name);
        daemon(() -> {
            while (!closed.getAsBoolean()) {
                send.run();
                Thread.sleep(HEARTBEAT_MILLIS);
            }
        });
        daemon(() -> {
            while (!closed.getAsBoolean()) {
                try {
                    if (!receive.one()) {
                        h.broken = true;
                        return;
                    }
                    h.echoed();
                } catch (SocketTimeoutException quiet) {
                    // no echo in 200 ms (the socket timeout): keep listening
                }
            }
        });
        return h;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort: closing the rest matters more
            }
        }
    }

    /** Echoes received on one client flow, and when the last one came. */
    public static final class Heartbeat {
        private final String name;
        private final AtomicInteger echoes = new AtomicInteger();
        private volatile long lastEchoNanos;
        private volatile boolean broken;

        Heartbeat(String name) {
            this.name = name;
        }

        private void echoed() {
            lastEchoNanos = System.nanoTime();
            echoes.incrementAndGet();
        }

        /** Echoes received while sleeping {@code millis}. */
        public int echoesOver(long millis) throws InterruptedException {
            int before = echoes.get();
            Thread.sleep(millis);
            return echoes.get() - before;
        }

        /** {@link System#nanoTime()} of the last echo, 0 before the first. */
        public long lastEchoNanos() {
            return lastEchoNanos;
        }

        /** Whether the peer closed a TCP connection (an allowed flow must not see that). */
        public boolean broken() {
            return broken;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private interface Receive {
        boolean one() throws Exception;
    }

    private static void daemon(Work work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception ended) {
                // the socket was closed (test over) or failed; the heartbeat counts tell the test
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
