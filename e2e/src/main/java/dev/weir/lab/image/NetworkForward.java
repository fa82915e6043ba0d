package dev.weir.lab.image;

import dev.weir.iptables.sys.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port forward from one network namespace to another: a listening socket opened inside {@code from}, and for
 * each connection one opened inside {@code to}, bytes copied both ways until either side closes. The lab's image agents
 * live in their node's namespace (hostNetwork), where the machine's 127.0.0.1 is not reachable: one forwarder puts the
 * API server on the underlay's gateway address (where a node reaches its control plane), one per node brings the
 * agent's {@code /readyz} to 127.0.0.1 of the machine, where {@code lab status} and the tests look for it.
 */
public final class NetworkForward implements AutoCloseable {

    private final String name;
    private final ServerSocket listener;
    private final NetworkNamespace to;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private NetworkForward(String name, ServerSocket listener, NetworkNamespace to, InetSocketAddress target) {
        this.name = name;
        this.listener = listener;
        this.to = to;
        this.target = target;
    }

    /**
     * Listens on {@code listen} inside {@code from} and forwards to {@code target} inside {@code to}. The namespaces
     * stay the caller's to close, after this.
     */
    public static NetworkForward start(String name, NetworkNamespace from, InetSocketAddress listen,
                                       NetworkNamespace to, InetSocketAddress target) throws Exception {
        ServerSocket listener = from.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(listen);
            return s;
        });
        NetworkForward f = new NetworkForward(name, listener, to, target);
        Thread accept = new Thread(f::acceptLoop, "forward-" + name);
        accept.setDaemon(true);
        accept.start();
        return f;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket in;
            try {
                in = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket out;
            try {
                out = to.call(() -> {
                    Socket s = new Socket();
                    s.connect(target, 5000);
                    return s;
                });
            } catch (Exception e) {
                closeQuietly(in);
                continue; // the client sees a closed connection, as if nothing listened
            }
            open.add(in);
            open.add(out);
            pump(in, out);
            pump(out, in);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buffer)) >= 0) {
                    o.write(buffer, 0, n);
                    o.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "forward-" + name + "-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(NetworkForward::closeQuietly);
    }

    @Override
    public String toString() {
        return "forward " + name + " " + listener.getLocalSocketAddress() + " -> " + target;
    }
}
