package dev.weir.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of the mock API server that a test can cut and restore: an API server outage as a client sees
 * it, without losing the server's state. Cut, every open connection is reset and every new request is answered
 * {@code 502 Bad Gateway}, as a load balancer in front of a dead API server does. (Refusing connections instead makes
 * fabric8 fall back to HTTP streaming watches, which the mock cannot serve; see docs/agent.md.)
 */
final class TcpProxy implements AutoCloseable {

    private static final byte[] BAD_GATEWAY = ("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private volatile boolean cut;

    TcpProxy(int target) throws IOException {
        this.target = target;
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::accept, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    refuse(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    private static void refuse(Socket client) {
        Thread t = new Thread(() -> {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                int matched = 0;
                int b;
                while (matched < 4 && (b = in.read()) >= 0) { // read up to the end of the request head
                    matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                out.write(BAD_GATEWAY);
                out.flush();
            } catch (IOException e) {
                // client gone
            }
        }, "tcp-proxy-502");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every connection; until {@link #restore()} new requests get 502. */
    void cut() {
        cut = true;
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // RST, as a vanished server looks
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    void restore() {
        cut = false;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
    }
}
