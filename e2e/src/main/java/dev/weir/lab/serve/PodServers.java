package dev.weir.lab.serve;

import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * TCP and UDP servers for every declared port of every pod, in this one JVM, like agnhost's {@code serve-hostname}:
 * a TCP connection gets the pod's {@code ns/name} and is closed; a UDP datagram is answered with it. Each socket is
 * created on its pod's {@link NetworkNamespace} thread, so it lives in the pod's namespace; after that a single
 * selector thread serves them all (a socket keeps its namespace whatever thread uses it).
 */
public final class PodServers implements AutoCloseable {

    private final Selector selector;
    private final List<Channel> channels = new ArrayList<>();
    private final Thread loop;

    private PodServers(Selector selector) {
        this.selector = selector;
        this.loop = new Thread(this::serve, "lab-pod-servers");
        this.loop.setDaemon(true);
    }

    /** Binds every TCP and UDP port of every pod, on each of its addresses (in {@code netns}, keyed by pod key) and starts serving. */
    public static PodServers start(LabPlan plan, Map<String, NetworkNamespace> netns) throws Exception {
        PodServers s = new PodServers(Selector.open());
        try {
            for (LabPlan.PodPlan pod : plan.pods()) {
                NetworkNamespace ns = netns.get(pod.key());
                ByteBuffer identity = ByteBuffer.wrap((pod.key() + "\n").getBytes(StandardCharsets.UTF_8));
                for (ContainerPort p : distinct(pod.ports())) {
                    for (IpFamily f : plan.families()) {
                        // one socket per address: an IPv6 socket bound to the pod's IPv6 address only
                        InetSocketAddress at = new InetSocketAddress(pod.ip(f), p.port());
                        StandardProtocolFamily family = f == IpFamily.V4 ? StandardProtocolFamily.INET
                                : StandardProtocolFamily.INET6;
                        if (p.protocol() == Protocol.TCP) {
                            ServerSocketChannel c = ns.call(() -> {
                                ServerSocketChannel ch = ServerSocketChannel.open(family);
                                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                                return ch.bind(at, 128);
                            });
                            s.register(c, SelectionKey.OP_ACCEPT, identity);
                        } else if (p.protocol() == Protocol.UDP) {
                            DatagramChannel c = ns.call(() -> DatagramChannel.open(family).bind(at));
                            s.register(c, SelectionKey.OP_READ, identity);
                        }
                    }
                }
            }
        } catch (Exception e) {
            s.close();
            throw e;
        }
        s.loop.start();
        return s;
    }

    private static List<ContainerPort> distinct(List<ContainerPort> ports) {
        TreeSet<String> seen = new TreeSet<>();
        return ports.stream().filter(p -> seen.add(p.port() + "/" + p.protocol())).toList();
    }

    private void register(SelectableChannel c, int ops, ByteBuffer identity) throws IOException {
        channels.add(c);
        c.configureBlocking(false);
        c.register(selector, ops, identity);
    }

    /** How many sockets are bound. */
    public int sockets() {
        return channels.size();
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocate(2048);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    ByteBuffer identity = ((ByteBuffer) key.attachment()).duplicate();
                    try {
                        if (key.isAcceptable()) {
                            SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
                            if (c != null) {
                                try (c) {
                                    c.write(identity); // a few bytes into an empty send buffer: never partial
                                }
                            }
                        } else if (key.isReadable()) {
                            DatagramChannel d = (DatagramChannel) key.channel();
                            in.clear();
                            SocketAddress from = d.receive(in);
                            if (from != null) {
                                d.send(identity, from);
                            }
                        }
                    } catch (IOException e) {
                        // a client that went away mid-answer: nothing to do, keep serving the others
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: stop serving
        }
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
