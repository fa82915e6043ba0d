package dev.weir.lab.probe;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Real packets to a Service. kube-proxy's rules pick an endpoint at random for each new connection, so a drop cannot
 * be pinned on one endpoint; what a probe can know is who answered. Each row (a client and where it sends the packet)
 * is therefore asked again and again, each time from a new source port (a new connection, a new pick), until every
 * endpoint has answered or {@link #attemptsFor} attempts are spent, and an endpoint's cell is allowed exactly when
 * that endpoint answered at least once. With n endpoints and 10·n attempts, an endpoint that would answer is missed
 * with probability n·(1 − 1/n)^(10n): 2·10⁻⁶ for two, 2·10⁻⁵ for three. An answer from a pod that is no endpoint
 * is reported as misrouted.
 */
public final class ServiceProber implements AutoCloseable {

    /**
     * One row: its name (as explain's), the namespace it sends from, where to, and the endpoints kube-proxy's rules
     * may send it to ({@code dev.weir.service.ServiceRoutes}: routing, not policy; every endpoint of the port when the
     * rules route it nowhere, so that each one's cell says the packet did not reach it).
     */
    public record Row(String name, String netns, String ip, int port, Protocol protocol, Set<String> candidates) {
        public Row {
            candidates = Set.copyOf(candidates);
        }

        public PortProtocol target() {
            return new PortProtocol(port, protocol);
        }
    }

    /** What one row saw: answers per pod, attempts, failures by kind. */
    public record Outcome(Row row, Map<String, Integer> answeredBy, int attempts, Map<String, Integer> failures) {
    }

    private final ExecutorService pool;
    private final int timeoutMillis;
    private final Map<String, NetworkNamespace> netns = new HashMap<>();

    public ServiceProber(int parallelism, Duration timeout) {
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "lab-service-probe");
            t.setDaemon(true);
            return t;
        });
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** At most this many attempts for a row whose Service port has {@code endpoints} endpoints. */
    public static int attemptsFor(int endpoints) {
        return Math.max(4, 10 * endpoints);
    }

    /** Probes each row until each of its candidates answered, in parallel over rows. */
    public List<Outcome> probe(List<Row> rows) throws Exception {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Row row : rows) {
            NetworkNamespace ns;
            synchronized (netns) {
                ns = netns.computeIfAbsent(row.netns(), NetworkNamespace::named);
            }
            Set<String> wanted = row.candidates();
            futures.add(pool.submit(() -> probeRow(ns, row, wanted)));
        }
        List<Outcome> out = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private Outcome probeRow(NetworkNamespace ns, Row row, Set<String> wanted) throws Exception {
        Map<String, Integer> answered = new TreeMap<>();
        Map<String, Integer> failures = new TreeMap<>();
        int max = attemptsFor(wanted.size());
        int attempts = 0;
        while (attempts < max && !answered.keySet().containsAll(wanted.isEmpty() ? Set.of("?") : wanted)) {
            attempts++;
            Prober.Answer a = Prober.ask(ns, row.ip(), row.port(), row.protocol(), timeoutMillis);
            if (a.failure() != null) {
                failures.merge(a.failure(), 1, Integer::sum);
            } else {
                answered.merge(a.answer().isEmpty() ? "(no answer text)" : a.answer(), 1, Integer::sum);
            }
        }
        return new Outcome(row, answered, attempts, failures);
    }

    /**
     * The probed table in the shape of explain's ({@code pods} and its columns): per row, each endpoint column
     * allowed when that endpoint answered. Answers from pods that are no candidate go to {@code misrouted}.
     */
    public static TruthTable table(List<String> pods, List<Outcome> outcomes, List<String> misrouted) {
        TruthTable.Builder b = TruthTable.builder(pods);
        for (Outcome o : outcomes) {
            PortProtocol t = o.row().target();
            b.target(t);
            Set<String> eps = new java.util.TreeSet<>(o.row().candidates());
            o.answeredBy().keySet().stream().filter(p -> !eps.contains(p))
                    .forEach(p -> misrouted.add(o.row().name() + " " + t + " answered by " + p + ", no endpoint"));
            for (String ep : eps) {
                int n = o.answeredBy().getOrDefault(ep, 0);
                String seen = n > 0 ? "probe: answered by " + ep + " " + n + " of " + o.attempts() + " attempts"
                        : "probe: " + ep + " never answered in " + o.attempts() + " attempts"
                                + (o.failures().isEmpty() ? "" : " (" + o.failures() + ")");
                b.set(o.row().name(), ep, t, new TruthTable.Cell(n > 0, List.of(seen)));
            }
        }
        return b.build();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        synchronized (netns) {
            netns.values().forEach(NetworkNamespace::close);
        }
    }
}
