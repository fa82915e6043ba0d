package dev.weir.lab.probe;

import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.iptables.sys.RawSctp;
import dev.weir.iptables.sys.SctpInit;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends real packets from every pod to every pod. Each probe's socket is created on the source pod's
 * {@link NetworkNamespace} thread (so the packet leaves from that pod); the blocking connect/receive then runs on a
 * bounded pool, so at most {@code parallelism} probes are in flight. A dropped packet shows as a timeout; a failed
 * probe is tried once more before it counts as denied, so one lost packet does not flip a cell. The answer must
 * name the destination pod, so a misrouted packet is not mistaken for an allowed one. One prober sends packets of one IP
 * family (the lab's primary one unless told): a dual-stack lab is probed once per family.
 */
public final class Prober implements AutoCloseable {

    private final LabPlan plan;
    private final Map<String, NetworkNamespace> netns = new HashMap<>();
    private final ExecutorService pool;
    private final int timeoutMillis;
    private final int attempts;
    private final boolean rawSctp;
    private final IpFamily family;
    private final Map<String, RawSctp.Sender> sctpSenders = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, RawSctp.Receiver> sctpReceivers = new java.util.concurrent.ConcurrentHashMap<>();

    public Prober(LabPlan plan, int parallelism, Duration timeout, int attempts) {
        this(plan, parallelism, timeout, attempts, false);
    }

    /**
     * {@code rawSctp}: probe SCTP with raw INIT packets ({@link RawSctp}) instead of {@code ncat --sctp}, for kernels
     * without SCTP sockets. A receiver per destination pod records arrivals; allowed = the INIT arrived in time.
     */
    public Prober(LabPlan plan, int parallelism, Duration timeout, int attempts, boolean rawSctp) {
        this(plan, parallelism, timeout, attempts, rawSctp, plan.ipStack().primary());
    }

    /** Packets of {@code family}, which the lab must have. */
    public Prober(LabPlan plan, int parallelism, Duration timeout, int attempts, boolean rawSctp, IpFamily family) {
        if (!plan.has(family)) {
            throw new IllegalArgumentException("the lab has no " + family + " addresses (it is " + plan.ipStack()
                    .lower() + ")");
        }
        this.family = family;
        this.rawSctp = rawSctp;
        this.plan = plan;
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "lab-probe");
            t.setDaemon(true);
            return t;
        });
        this.timeoutMillis = (int) timeout.toMillis();
        this.attempts = attempts;
        plan.pods().forEach(p -> netns.put(p.key(), NetworkNamespace.named(p.netns())));
    }

    /** Probes every ordered pod pair on each port and protocol; results in (protocol, port, from, to) order. */
    public List<ProbeResult> probeAll(List<Integer> ports, List<Protocol> protocols) throws Exception {
        List<Future<ProbeResult>> futures = new ArrayList<>();
        for (Protocol protocol : protocols) {
            for (int port : ports) {
                for (LabPlan.PodPlan from : plan.pods()) {
                    for (LabPlan.PodPlan to : plan.pods()) {
                        futures.add(pool.submit(() -> probe(from, to, port, protocol)));
                    }
                }
            }
        }
        List<ProbeResult> out = new ArrayList<>(futures.size());
        for (Future<ProbeResult> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    /** Probes every ordered pair of {@code podKeys} on one port and protocol, in (from, to) order. */
    public List<ProbeResult> probeAmong(List<String> podKeys, int port, Protocol protocol) throws Exception {
        List<Future<ProbeResult>> futures = new ArrayList<>();
        for (String from : podKeys) {
            for (String to : podKeys) {
                LabPlan.PodPlan f = pod(from);
                LabPlan.PodPlan t = pod(to);
                futures.add(pool.submit(() -> probe(f, t, port, protocol)));
            }
        }
        List<ProbeResult> out = new ArrayList<>(futures.size());
        for (Future<ProbeResult> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private LabPlan.PodPlan pod(String key) {
        return plan.pod(key).orElseThrow(() -> new IllegalArgumentException("no pod " + key + " in the lab"));
    }

    public ProbeResult probe(LabPlan.PodPlan from, LabPlan.PodPlan to, int port, Protocol protocol) throws Exception {
        String detail = null;
        for (int i = 1; i <= attempts; i++) {
            long start = System.nanoTime();
            Attempt a = switch (protocol) {
                case TCP -> tcp(from, to, port);
                case UDP -> udp(from, to, port);
                case SCTP -> rawSctp ? rawSctp(from, to, port) : sctp(from, to, port);
            };
            if (a.ok()) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return new ProbeResult(from.key(), to.key(), port, protocol, true,
                        "answered by " + to.key() + " in " + ms + " ms", i);
            }
            detail = a.detail();
        }
        return new ProbeResult(from.key(), to.key(), port, protocol, false,
                detail + (attempts > 1 ? " (" + attempts + " attempts)" : ""), attempts);
    }

    private record Attempt(boolean ok, String detail) {
    }

    /** The family this prober sends. */
    public IpFamily family() {
        return family;
    }

    private StandardProtocolFamily socketFamily() {
        return family == IpFamily.V4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private Attempt tcp(LabPlan.PodPlan from, LabPlan.PodPlan to, int port) throws Exception {
        Answer a = ask(netns.get(from.key()), to.ip(family), port, Protocol.TCP, timeoutMillis);
        return a.failure() != null ? new Attempt(false, a.failure()) : answered(a.answer(), to);
    }

    private Attempt udp(LabPlan.PodPlan from, LabPlan.PodPlan to, int port) throws Exception {
        Answer a = ask(netns.get(from.key()), to.ip(family), port, Protocol.UDP, timeoutMillis);
        return a.failure() != null ? new Attempt(false, a.failure()) : answered(a.answer(), to);
    }

    /** What came back: the text a pod's server answered with, or why nothing did ("timed out", "refused"). */
    public record Answer(String answer, String failure) {
    }

    /**
     * One TCP connection or UDP datagram from {@code from}'s namespace to {@code ip}:{@code port}, and the answer (the
     * pod's servers answer with their {@code namespace/name}); a probe of a Service asks its address with this too.
     */
    public static Answer ask(NetworkNamespace from, String ip, int port, Protocol protocol, int timeoutMillis)
            throws Exception {
        if (protocol == Protocol.TCP) {
            try (SocketChannel ch = from.call(() -> SocketChannel.open(socketFamily(ip)))) {
                ch.socket().connect(new InetSocketAddress(ip, port), timeoutMillis);
                ch.socket().setSoTimeout(timeoutMillis);
                InputStream in = ch.socket().getInputStream();
                return new Answer(new String(in.readNBytes(256), StandardCharsets.UTF_8).strip(), null);
            } catch (SocketTimeoutException e) {
                return new Answer(null, "timed out");
            } catch (IOException e) {
                return new Answer(null, describe(e));
            }
        }
        if (protocol != Protocol.UDP) {
            throw new IllegalArgumentException("ask speaks TCP and UDP, not " + protocol);
        }
        try (DatagramChannel ch = from.call(() -> DatagramChannel.open(socketFamily(ip)))) {
            ch.connect(new InetSocketAddress(ip, port));
            ch.socket().setSoTimeout(timeoutMillis);
            byte[] probe = "probe\n".getBytes(StandardCharsets.UTF_8);
            ch.socket().send(new DatagramPacket(probe, probe.length));
            DatagramPacket reply = new DatagramPacket(new byte[256], 256);
            ch.socket().receive(reply);
            return new Answer(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8).strip(), null);
        } catch (SocketTimeoutException e) {
            return new Answer(null, "timed out");
        } catch (PortUnreachableException e) {
            return new Answer(null, "port unreachable");
        } catch (IOException e) {
            return new Answer(null, describe(e));
        }
    }

    /** The socket family of an address's text. */
    private static StandardProtocolFamily socketFamily(String ip) {
        return ip.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** An INIT over a raw socket from the source pod; allowed when the destination pod's raw receiver saw it. */
    private Attempt rawSctp(LabPlan.PodPlan from, LabPlan.PodPlan to, int port) throws Exception {
        boolean v6 = family == IpFamily.V6;
        RawSctp.Receiver receiver = raw(sctpReceivers, to, ns -> RawSctp.Receiver.open(ns, v6));
        RawSctp.Sender sender = raw(sctpSenders, from, ns -> RawSctp.Sender.open(ns, v6));
        var random = java.util.concurrent.ThreadLocalRandom.current();
        int tag = random.nextInt(1, Integer.MAX_VALUE);
        sender.send(to.ip(family), new SctpInit(random.nextInt(32768, 61000), port, tag));
        return receiver.await(port, tag, Duration.ofMillis(timeoutMillis)) ? new Attempt(true, null)
                : new Attempt(false, "INIT did not arrive");
    }

    private interface Opener<T> {
        T open(NetworkNamespace ns) throws Exception;
    }

    private <T> T raw(Map<String, T> cache, LabPlan.PodPlan pod, Opener<T> opener) throws Exception {
        synchronized (cache) {
            T t = cache.get(pod.key());
            if (t == null) {
                t = opener.open(netns.get(pod.key()));
                cache.put(pod.key(), t);
            }
            return t;
        }
    }

    /** SCTP through {@code ncat --sctp} started in the source pod (Java's SCTP needs libsctp). */
    private Attempt sctp(LabPlan.PodPlan from, LabPlan.PodPlan to, int port) throws Exception {
        int seconds = Math.max(1, (timeoutMillis + 999) / 1000);
        ProcessBuilder pb = new ProcessBuilder("ncat", "--sctp", "--recv-only", "-w", seconds + "s", to.ip(family),
                String.valueOf(port)).redirectErrorStream(true);
        Process p = netns.get(from.key()).start(pb);
        if (!p.waitFor(timeoutMillis + 2000L, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Attempt(false, "timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            return new Attempt(false, out.contains("TIMEOUT") || out.contains("timed out") ? "timed out"
                    : "ncat: " + out.lines().findFirst().orElse("exit " + p.exitValue()));
        }
        return answered(out, to);
    }

    private static Attempt answered(String answer, LabPlan.PodPlan to) {
        if (answer.equals(to.key())) {
            return new Attempt(true, null);
        }
        return new Attempt(false, answer.isEmpty() ? "connected but no answer" : "answered by " + answer);
    }

    private static String describe(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("refused")) {
            return "refused";
        }
        if (m.contains("unreachable")) {
            return "unreachable";
        }
        return e.getClass().getSimpleName() + ": " + m;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        sctpSenders.values().forEach(RawSctp.Sender::close);
        for (RawSctp.Receiver r : sctpReceivers.values()) {
            try {
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        netns.values().forEach(NetworkNamespace::close);
    }
}
