package dev.weir.iptables.kernel;

import dev.weir.iptables.sys.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;

/**
 * TCP load between pod namespaces, for {@link DenialLogBenchmarkTest}: a server that accepts and waits for its peer to
 * go, clients that connect and close, and a sender of SYNs that are never completed. Clients close with a reset
 * ({@code SO_LINGER 0}): a FIN close holds each client port in TIME_WAIT for 60 s, and at ten thousand connects a
 * second the 28,000 ephemeral ports are gone in three. The server never closes first, so no late FIN meets a
 * connection conntrack has already closed.
 */
final class TcpLoad {

    /**
     * What load loops did: connections made (or SYNs sent), attempts that failed, and the CPU time of their threads
     * ({@code CLOCK_THREAD_CPUTIME_ID}: user and system time, including the softirq work the kernel does in the
     * thread's context, which on a veth is mostly the whole path through the node to the peer and back).
     */
    record Count(long done, long failed, long cpuNanos) {
        Count plus(Count o) {
            return new Count(done + o.done, failed + o.failed, cpuNanos + o.cpuNanos);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TcpLoad() {
    }

    /**
     * Starts {@code threads} copies of {@code loop} on platform threads inside {@code ns} (a thread inherits the
     * network namespace of the thread that starts it); {@link #sum} waits for them.
     */
    static List<FutureTask<Count>> startIn(NetworkNamespace ns, int threads, Callable<Count> loop) throws Exception {
        List<FutureTask<Count>> tasks = new ArrayList<>();
        ns.call(() -> {
            for (int i = 0; i < threads; i++) {
                FutureTask<Count> task = new FutureTask<>(loop);
                Thread t = new Thread(task, "load-" + ns.path().getFileName() + "-" + i);
                t.setDaemon(true);
                t.start();
                tasks.add(task);
            }
            return null;
        });
        return tasks;
    }

    /** The summed counts of {@code tasks}, once all have ended. */
    static Count sum(List<FutureTask<Count>> tasks) throws Exception {
        Count sum = new Count(0, 0, 0);
        for (FutureTask<Count> task : tasks) {
            sum = sum.plus(task.get());
        }
        return sum;
    }

    /** Connect, then close with a reset, until {@code deadline} (nanoTime); a connect waits at most 2 s. */
    static Count connects(String address, int port, long deadline) {
        InetSocketAddress to = new InetSocketAddress(address, port);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long done = 0;
        long failed = 0;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.setSoLinger(true, 0);
                s.connect(to, 2000);
                done++;
            } catch (IOException e) {
                failed++;
            }
        }
        return new Count(done, failed, THREADS.getCurrentThreadCpuTime() - cpu);
    }

    /**
     * Sends SYNs until {@code deadline}: a non-blocking connect sends one, and closing the socket before an answer
     * sends nothing more. {@code perSecond} paces them from {@code start} (0: as fast as the loop goes).
     */
    static Count syns(String address, int port, int perSecond, long start, long deadline) {
        InetSocketAddress to = new InetSocketAddress(address, port);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long sent = 0;
        long failed = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return new Count(sent, failed, THREADS.getCurrentThreadCpuTime() - cpu);
            }
            if (perSecond > 0 && sent >= (now - start) * perSecond / 1_000_000_000L) {
                LockSupport.parkNanos(50_000);
                continue;
            }
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                ch.connect(to);
                sent++;
            } catch (IOException e) {
                failed++;
            }
        }
    }

    /**
     * Writes 128 KiB buffers to {@code address:port} until {@code deadline} (nanoTime), then closes; {@code done} is
     * the bytes written.
     */
    static Count stream(String address, int port, long deadline) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        byte[] buf = new byte[128 * 1024];
        long written = 0;
        long failed = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            var out = s.getOutputStream();
            while (System.nanoTime() < deadline) {
                out.write(buf);
                written += buf.length;
            }
        } catch (IOException e) {
            failed++;
        }
        return new Count(written, failed, THREADS.getCurrentThreadCpuTime() - cpu);
    }

    /**
     * A TCP server on one address: {@code threads} threads each accept a connection, read until the peer has gone (end
     * of stream or reset) and close it. A connect completes before the server accepts, so clients run ahead of a
     * server that gets less CPU than they do (one selector thread did, against four clients), and once its accept
     * queue is full the kernel drops their handshakes (TcpExt ListenDrops) and their SYNs go again a second later: so
     * several threads, and a queue of {@code backlog} (raise {@code net.core.somaxconn} in the namespace to match).
     */
    static final class Server implements AutoCloseable {

        private final ServerSocket listener;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean open = true;
        private final int readBuffer;

        Server(NetworkNamespace ns, String address, int port, int threads, int backlog) throws Exception {
            this(ns, address, port, threads, backlog, 512);
        }

        /** {@code readBuffer}: the bytes one read takes (large for a bulk stream, where each read is a system call). */
        Server(NetworkNamespace ns, String address, int port, int threads, int backlog, int readBuffer)
                throws Exception {
            this.readBuffer = readBuffer;
            this.listener = ns.call(() -> {
                ServerSocket l = new ServerSocket();
                l.setReuseAddress(true);
                l.bind(new InetSocketAddress(address, port), backlog);
                return l;
            });
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(this::serve, "server-" + address + "-" + i);
                t.setDaemon(true);
                t.start();
                this.threads.add(t);
            }
        }

        private void serve() {
            byte[] buf = new byte[readBuffer];
            while (open) {
                try (Socket c = listener.accept()) {
                    InputStream in = c.getInputStream();
                    while (in.read(buf) >= 0) {
                        // nothing is sent; read until the client is gone
                    }
                } catch (IOException e) {
                    // a reset ends the connection; a closed listener ends the loop
                }
            }
        }

        @Override
        public void close() throws Exception {
            open = false;
            listener.close();
            for (Thread t : threads) {
                t.join(2000);
            }
        }
    }
}
