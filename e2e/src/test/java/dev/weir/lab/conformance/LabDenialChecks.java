package dev.weir.lab.conformance;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.lab.denials.DenialLogTail;
import dev.weir.lab.denials.DeniedCells;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpFamily;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agents' denial records checked against a scenario's observations (issue 16's proof, {@code docs/denials.md},
 * "In the lab"): every cell of an observation's last round that the probes found dropped has a record, in its node's
 * file within {@link #RECORDS_WITHIN} of the round, whose decision is explain's for the cell; no cell allowed at the
 * first attempt has one ({@link DeniedCells}). A thread reads the agents' files every {@value #TAIL_MILLIS} ms, so each
 * record carries when it showed up, and nothing needs probing twice.
 */
final class LabDenialChecks implements AutoCloseable {

    /** The bound: a drop's record is in its node's file within 2 s. */
    static final Duration RECORDS_WITHIN = Duration.ofSeconds(2);
    static final int TAIL_MILLIS = 50;

    /** What one observation saw in its last round, and when that round ran. */
    private record Observation(PortProtocol target, List<ProbeResult> probes, TruthTable explained,
            List<TruthTable> before, DeniedCells.Window window) {
    }

    /** Totals over the class, for its summary line. */
    static final class Stats {
        long observations;
        long unconverged;
        long deniedCells;
        long allowedCells;
        long slowestMillis;
        long waitedMillis;
        long lagging;

        @Override
        public String toString() {
            return observations + " observations checked (" + unconverged + " more never agreed with explain), "
                    + deniedCells + " dropped cells each recorded with explain's decision, " + allowedCells
                    + " cells allowed at the first attempt without a record; the slowest record showed " + slowestMillis
                    + " ms after the packet it is dated by; waiting for records took " + waitedMillis + " ms in all"
                    + (lagging == 0 ? "" : "; " + lagging + " dropped cells recorded with the decision of the state "
                    + "before (an agent still applying the step)");
        }
    }

    private final LabPlan plan;
    private final IpFamily family;
    private final ScheduledExecutorService tailer;
    /** Every record read, and the lines of the agents' files that were none; guarded by {@code records}. */
    private final List<DenialLogTail.Entry> records = new ArrayList<>();
    private final List<String> logProblems = new ArrayList<>();
    /** The observations of the scenario being played. */
    private final List<Observation> observations = new ArrayList<>();
    /** Observations whose allowed cells are still to be checked, with their scenario's name. */
    private final List<Map.Entry<String, Observation>> unsettled = new ArrayList<>();
    private final Stats stats = new Stats();

    /** Starts reading the files of the agents of the lab in {@code store}; the probes are of {@code family}. */
    LabDenialChecks(LabPlan plan, StateStore store, IpFamily family) {
        this.plan = plan;
        this.family = family;
        DenialLogTail tail = new DenialLogTail(store, Clock.systemUTC(), this::logProblem);
        this.tailer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-denials-tail");
            t.setDaemon(true);
            return t;
        });
        tailer.scheduleWithFixedDelay(() -> {
            try {
                List<DenialLogTail.Entry> read = tail.poll();
                synchronized (records) {
                    records.addAll(read);
                }
            } catch (RuntimeException e) { // a scheduled task that throws is never run again
                logProblem("reading the agents' files: " + e);
            }
        }, 0, TAIL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void logProblem(String problem) {
        synchronized (records) {
            logProblems.add(problem);
        }
    }

    /**
     * An observation agreed with explain: {@code probes} of its last round, which ran within {@code window}.
     * {@code before} are explain's tables for the same cells over the states the objects went through since the
     * previous observation: an agent still applying the latest write may drop a cell that such a state denies too
     * with that state's decision, which then counts as recorded (the verdict was right; the decision was the one the
     * agent enforced). Any other decision is a problem.
     */
    void observed(PortProtocol target, List<ProbeResult> probes, TruthTable explained, List<TruthTable> before,
            DeniedCells.Window window) {
        observations.add(new Observation(target, List.copyOf(probes), explained, before, window));
    }

    /** An observation never agreed with explain: nothing to check its records against. */
    void unconverged() {
        stats.unconverged++;
    }

    /** A new scenario: the last one's observations are not checked unless {@link #problems} was asked. */
    void reset() {
        observations.clear();
    }

    /**
     * The problems with the denial records of the scenario's observations: one line per cell whose record is missing,
     * names another decision or other pods, or is there though the cell was allowed at the first attempt, and per
     * line of an agent's file that is no record. Only records that showed within {@link #RECORDS_WITHIN} of their
     * observation's round count.
     *
     * <p>Waits while a dropped cell lacks its record, at most until {@link #RECORDS_WITHIN} after the last round; but
     * not for the absence of records: an allowed cell's record would show within {@link DeniedCells#SETTLE} of its
     * probe, so an observation that ended less than that ago has its allowed cells checked by a later call (the next
     * scenario's, naming this one) or by {@link #unsettledProblems}. That saves a wait after every scenario.
     */
    List<String> problems(String scenario) {
        long waitStart = System.nanoTime();
        List<Observation> now = List.copyOf(observations);
        observations.clear();
        Instant deadline = now.isEmpty() ? Instant.MIN : now.get(now.size() - 1).window().end().plus(RECORDS_WITHIN);
        List<String> problems = new ArrayList<>();
        do {
            sleep(TAIL_MILLIS);
            problems.clear();
            boolean recorded = true;
            for (Observation o : now) {
                List<DeniedCells.Finding> findings = findings(o);
                findings.stream().filter(f -> !f.ok() && f.status() != DeniedCells.Status.ALLOWED_WITH_RECORD)
                        .forEach(f -> problems.add(problem(null, o, f)));
                recorded &= DeniedCells.waitingForNone(findings);
            }
            if (recorded) {
                break;
            }
        } while (Instant.now().isBefore(deadline.plusMillis(TAIL_MILLIS)));
        now.forEach(o -> unsettled.add(Map.entry(scenario, o)));
        problems.addAll(settledProblems(scenario, false));
        stats.waitedMillis += (System.nanoTime() - waitStart) / 1_000_000;
        synchronized (records) {
            problems.addAll(logProblems);
            logProblems.clear();
        }
        if (problems.isEmpty()) {
            count(now);
        }
        return problems;
    }

    /** The allowed cells' check of the observations still unsettled, once they are: for the end of a class. */
    List<String> unsettledProblems() {
        long waitStart = System.nanoTime();
        unsettled.stream().map(e -> e.getValue().window().end().plus(DeniedCells.SETTLE)).max(Instant::compareTo)
                .ifPresent(settled -> sleep(Math.max(0, Duration.between(Instant.now(), settled).toMillis())
                        + TAIL_MILLIS));
        stats.waitedMillis += (System.nanoTime() - waitStart) / 1_000_000;
        return settledProblems(null, true);
    }

    /** What was checked so far, and found in order. */
    Stats stats() {
        return stats;
    }

    /**
     * The allowed cells with a record among the unsettled observations that have settled (all of them with
     * {@code all}), which are then forgotten; one of another scenario than {@code current} is named.
     */
    private List<String> settledProblems(String current, boolean all) {
        List<String> problems = new ArrayList<>();
        Instant now = Instant.now();
        for (Iterator<Map.Entry<String, Observation>> it = unsettled.iterator(); it.hasNext(); ) {
            Map.Entry<String, Observation> e = it.next();
            Observation o = e.getValue();
            if (!all && now.isBefore(o.window().end().plus(DeniedCells.SETTLE))) {
                continue;
            }
            it.remove();
            findings(o).stream().filter(f -> f.status() == DeniedCells.Status.ALLOWED_WITH_RECORD)
                    .forEach(f -> problems.add(problem(e.getKey().equals(current) ? null : e.getKey(), o, f)));
        }
        return problems;
    }

    private static String problem(String scenario, Observation o, DeniedCells.Finding f) {
        return (scenario == null ? "" : "in \"" + scenario + "\": ") + o.target() + ": " + f.describe()
                + "\n    probed " + o.window() + ", " + f.probe().detail() + "; records of the cell: "
                + f.nearbyRecords();
    }

    private List<DeniedCells.Finding> findings(Observation o) {
        Instant shown = o.window().end().plus(RECORDS_WITHIN);
        List<DenialLogTail.Entry> in;
        synchronized (records) {
            in = records.stream().filter(e -> !e.seen().isAfter(shown)).toList();
        }
        List<DeniedCells.Finding> now = DeniedCells.check(plan, family, o.probes(), o.explained(), in, o.window());
        if (now.stream().noneMatch(f -> f.status() == DeniedCells.Status.DIFFERS)) {
            return now;
        }
        List<DeniedCells.Finding> out = new java.util.ArrayList<>(now);
        for (TruthTable earlier : o.before()) {
            List<DeniedCells.Finding> then = DeniedCells.check(plan, family, o.probes(), earlier, in, o.window());
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).status() == DeniedCells.Status.DIFFERS
                        && then.get(i).status() == DeniedCells.Status.MATCHES) {
                    out.set(i, then.get(i)); // lagging: see observed()
                }
            }
        }
        return out;
    }

    private void count(List<Observation> checked) {
        for (Observation o : checked) {
            stats.observations++;
            List<DeniedCells.Finding> findings = findings(o);
            if (!o.before().isEmpty()) {
                List<DenialLogTail.Entry> in;
                synchronized (records) {
                    in = List.copyOf(records);
                }
                long matchesNow = DeniedCells.check(plan, family, o.probes(), o.explained(), in, o.window()).stream()
                        .filter(f -> f.status() == DeniedCells.Status.MATCHES).count();
                stats.lagging += findings.stream().filter(f -> f.status() == DeniedCells.Status.MATCHES).count()
                        - matchesNow;
            }
            for (DeniedCells.Finding f : findings) {
                if (f.status() == DeniedCells.Status.MATCHES) {
                    stats.deniedCells++;
                    DenialRecord r = f.record().orElseThrow();
                    synchronized (records) {
                        records.stream().filter(e -> e.record() == r).findFirst().ifPresent(e -> stats.slowestMillis =
                                Math.max(stats.slowestMillis, Duration.between(r.time(), e.seen()).toMillis()));
                    }
                }
            }
            stats.allowedCells += o.probes().stream().filter(p -> p.allowed() && p.attempts() == 1).count();
        }
    }

    @Override
    public void close() {
        tailer.shutdownNow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
