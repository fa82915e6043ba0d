package dev.weir.lab.denials;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.explain.DecisionJson;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.Decision;
import dev.weir.model.IpFamily;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.PacketSources;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Probes checked against the denial records their packets produced: for every cell a probe found dropped, the record
 * of that drop must name the decision {@code weir explain} gives the cell (its first denying side: the node judges the
 * source's egress before the destination's ingress); a cell the probe found allowed at the first attempt must have no
 * record. What {@code weir lab probe --denials} prints and the lab's conformance suites assert.
 *
 * <p>Records are matched to a cell by the source and destination address of its pods, the protocol and the port, and
 * by time. The agent counts one flow's packets into one record per interval ({@code docs/denials.md},
 * "Aggregation"): a record is dated by its first packet and written at a flush up to an interval and a tick later,
 * counting every packet of its flow until then. So the packets of the round of probes checked ({@link Window}) are
 * in records dated before the round ends and read after it began, possibly dated by an earlier round's packet.
 * Among those a dropped cell takes the latest: while the agents converged, earlier attempts may have been dropped by
 * a ruleset since replaced, under another decision, but a ruleset never comes back, so the latest record is the
 * current ruleset's. A record dated within the round is a packet of the round the node logged, which no cell allowed
 * at the first attempt may have.
 */
public final class DeniedCells {

    /**
     * How long after a packet its record may still be on its way when its flow is new: the agent writes a new flow's
     * first record at its next flush, every 250 ms ({@code docs/denials.md}, "Aggregation"); plus a margin.
     */
    public static final Duration SETTLE = Duration.ofMillis(400);
    /** How far around the round a report looks for a cell's records. */
    private static final Duration NEARBY = Duration.ofSeconds(3);

    /** What one cell's check found. */
    public enum Status {
        /** Dropped, and the latest record names explain's decision. */
        MATCHES,
        /** Dropped, and no record. */
        NO_RECORD,
        /** Dropped, and the latest record names another decision or other pods, or explain allows the cell. */
        DIFFERS,
        /**
         * Denied, but refused or unreachable: the packet was answered, so no policy dropped it (weir never rejects);
         * wrong where explain denies the cell, a port nobody serves where it allows it.
         */
        NOT_DROPPED,
        /** Allowed at the first attempt, and yet a record of the cell within the last round. */
        ALLOWED_WITH_RECORD
    }

    /** When the round of probes checked began and ended. */
    public record Window(Instant start, Instant end) {
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("a window ends after it starts: " + start + ", " + end);
            }
        }
    }

    /**
     * One probed cell's check: explain's decision for a denied cell ({@code expected}, empty when explain allows it),
     * the record that decided the status (empty when none) and the cell's records read around the round, for a
     * report.
     */
    public record Finding(ProbeResult probe, Status status, Optional<Decision> expected,
            Optional<DenialRecord> record, List<DenialLogTail.Entry> nearby) {

        public Finding {
            nearby = List.copyOf(nearby);
        }

        /** What the log promises: a dropped cell recorded as explain decides it, or a cell nobody dropped. */
        public boolean ok() {
            return status == Status.MATCHES || status == Status.NOT_DROPPED && expected.isEmpty();
        }

        public PortProtocol target() {
            return new PortProtocol(probe.port(), probe.protocol());
        }

        /** One line: the cell, the status, and the record and explain's decision in words. */
        public String describe() {
            String cell = probe.from() + " -> " + probe.to() + " " + target() + ": ";
            String explain = expected.map(d -> "explain: " + DenialText.decision(d,
                    d.direction() == PolicyType.INGRESS ? probe.to() : probe.from())).orElse("explain allows the cell");
            String recorded = record.map(r -> r.node() + ": " + DenialText.decision(r.decision(),
                    DenialText.end(r.protectedEnd())) + " (" + DenialText.packets(r.count()) + ")").orElse("");
            return cell + switch (status) {
                case MATCHES -> "recorded by " + recorded;
                case NO_RECORD -> "NO RECORD; " + explain;
                case DIFFERS -> "DIFFERS: recorded by " + recorded + podsNamed() + "; " + explain;
                case NOT_DROPPED -> expected.isEmpty() ? "not dropped (" + probe.detail() + "): no record expected"
                        : "NOT DROPPED (" + probe.detail() + ") though " + explain;
                case ALLOWED_WITH_RECORD -> "ALLOWED, yet recorded by " + recorded;
            };
        }

        private String podsNamed() {
            DenialRecord r = record.orElseThrow();
            String from = DenialText.end(r.source());
            String to = DenialText.end(r.destination());
            return from.equals(probe.from()) && to.equals(probe.to()) ? ""
                    : " (the record names " + from + " -> " + to + ")";
        }

        /** The cell's records read around the round: when dated, when read, the node, the count and the decision. */
        public String nearbyRecords() {
            return nearby.stream().map(e -> e.record().time() + " read " + e.seen() + " " + e.record().node() + " "
                    + DenialText.packets(e.record().count()) + " " + DecisionJson.write(e.record().decision()))
                    .collect(Collectors.joining("; ", "[", "]"));
        }
    }

    private DeniedCells() {
    }

    /**
     * Checks every probed cell of {@code probes} against the records read, {@code entries}: denied cells against
     * {@code explained}'s decision, allowed ones for the absence of records. Cells in the order of {@code probes}.
     */
    public static List<Finding> check(LabPlan plan, List<ProbeResult> probes, TruthTable explained,
            List<DenialLogTail.Entry> entries, Window window) {
        return check(plan, plan.ipStack().primary(), probes, explained, entries, window);
    }

    /** The same for probes of {@code family}: a record is a cell's when it names the pods' addresses of that family. */
    public static List<Finding> check(LabPlan plan, IpFamily family, List<ProbeResult> probes, TruthTable explained,
            List<DenialLogTail.Entry> entries, Window window) {
        Function<String, LabPlan.PodPlan> pod = key -> plan.pod(key)
                .orElseThrow(() -> new IllegalArgumentException("no pod " + key + " in the lab"));
        Function<String, IpAddress> ip = key -> IpAddress.parse(pod.apply(key).ip(family));
        Map<Cell, List<DenialLogTail.Entry>> byCell = entries.stream()
                .collect(Collectors.groupingBy(e -> Cell.of(e.record())));
        Instant start = window.start().truncatedTo(ChronoUnit.MILLIS);
        Instant end = window.end();
        List<Finding> out = new ArrayList<>();
        for (ProbeResult p : probes) {
            // a hostNetwork pod's packet may leave with another address (flannel.1's over VXLAN); the record has it
            IpAddress source = PacketSources.rewritten(plan, pod.apply(p.from()), pod.apply(p.to()), family)
                    .map(IpAddress::parse).orElseGet(() -> ip.apply(p.from()));
            Cell cell = new Cell(source, ip.apply(p.to()), number(p.protocol()), p.port());
            List<DenialLogTail.Entry> ofCell = byCell.getOrDefault(cell, List.of());
            List<DenialLogTail.Entry> nearby = ofCell.stream().filter(e -> !e.seen().isBefore(start.minus(NEARBY))
                    && !e.record().time().isAfter(end.plus(NEARBY))).toList();
            if (p.allowed()) {
                if (p.attempts() == 1) {
                    ofCell.stream().map(DenialLogTail.Entry::record)
                            .filter(r -> !r.time().isBefore(start) && !r.time().isAfter(end)).findFirst()
                            .ifPresent(r -> out.add(new Finding(p, Status.ALLOWED_WITH_RECORD, Optional.empty(),
                                    Optional.of(r), nearby)));
                }
                continue;
            }
            Optional<Decision> expected = explained.cell(p.from(), p.to(), new PortProtocol(p.port(), p.protocol()))
                    .filter(c -> !c.allowed())
                    .flatMap(c -> c.decisions().stream().filter(d -> !d.allows()).findFirst());
            if (!dropped(p)) {
                out.add(new Finding(p, Status.NOT_DROPPED, expected, Optional.empty(), nearby));
                continue;
            }
            // the records that may count packets of the round: dated before it ended, written after it began
            Optional<DenialRecord> latest = ofCell.stream()
                    .filter(e -> !e.record().time().isAfter(end) && !e.seen().isBefore(start))
                    .map(DenialLogTail.Entry::record).max(Comparator.comparing(DenialRecord::time));
            Status status = latest.isEmpty() ? Status.NO_RECORD
                    : expected.isPresent() && expected.get().equals(latest.get().decision())
                            && namesPods(latest.get(), p, pod.apply(p.from()).hostNetwork()) ? Status.MATCHES
                            : Status.DIFFERS;
            out.add(new Finding(p, status, expected, latest, nearby));
        }
        return out;
    }

    /**
     * {@link #check} once every dropped cell has the record explain expects, or once {@code within} of the window's
     * end has passed; never before {@link #SETTLE} has passed, the agent's flush tick and a margin, so that a record
     * of an allowed cell had its chance to show. Reads {@code tail} every 100 ms.
     */
    public static List<Finding> await(DenialLogTail tail, LabPlan plan, List<ProbeResult> probes,
            TruthTable explained, Window window, Duration within) throws InterruptedException {
        return await(tail, plan, plan.ipStack().primary(), probes, explained, window, within);
    }

    /** The same for probes of {@code family}. */
    public static List<Finding> await(DenialLogTail tail, LabPlan plan, IpFamily family, List<ProbeResult> probes,
            TruthTable explained, Window window, Duration within) throws InterruptedException {
        List<DenialLogTail.Entry> entries = new ArrayList<>();
        Instant settled = window.end().plus(SETTLE);
        Instant deadline = window.end().plus(within);
        while (true) {
            entries.addAll(tail.poll());
            List<Finding> findings = check(plan, family, probes, explained, entries, window);
            Instant now = Instant.now();
            if (!now.isBefore(deadline) || !now.isBefore(settled) && waitingForNone(findings)) {
                return findings;
            }
            Thread.sleep(100);
        }
    }

    /** Whether no dropped cell still waits for its record: every one has it, or was not dropped, or is allowed. */
    public static boolean waitingForNone(List<Finding> findings) {
        return findings.stream().allMatch(f -> f.status() == Status.MATCHES || f.status() == Status.NOT_DROPPED
                || f.status() == Status.ALLOWED_WITH_RECORD);
    }

    /** The findings that are not {@link Finding#ok()}. */
    public static List<Finding> problems(List<Finding> findings) {
        return findings.stream().filter(f -> !f.ok()).toList();
    }

    /** {@code 12 denied cells: 11 recorded as explain decides, 1 without a record, ...}. */
    public static String summary(List<Finding> findings) {
        Map<Status, Long> n = findings.stream().collect(Collectors.groupingBy(Finding::status, Collectors.counting()));
        long denied = findings.stream().filter(f -> f.status() != Status.ALLOWED_WITH_RECORD).count();
        return denied + " denied cells: " + n.getOrDefault(Status.MATCHES, 0L) + " recorded with explain's decision, "
                + n.getOrDefault(Status.NO_RECORD, 0L) + " without a record, " + n.getOrDefault(Status.DIFFERS, 0L)
                + " recorded otherwise, " + n.getOrDefault(Status.NOT_DROPPED, 0L) + " not dropped; "
                + n.getOrDefault(Status.ALLOWED_WITH_RECORD, 0L) + " allowed cells with a record";
    }

    /** A timeout (or an INIT that never arrived) is a drop; a refusal or an unreachable is an answer. */
    private static boolean dropped(ProbeResult p) {
        return p.detail().startsWith("timed out") || p.detail().startsWith("INIT did not arrive");
    }

    /**
     * Whether the record names the cell's pods. A hostNetwork source shares its node's address (or sends from
     * flannel.1's), which the agent cannot tie to one pod, so its record names no source pod.
     */
    private static boolean namesPods(DenialRecord r, ProbeResult p, boolean hostNetworkSource) {
        boolean source = hostNetworkSource ? r.source().pod().isEmpty()
                || r.source().pod().map(ObjectKey::namespacedName).filter(p.from()::equals).isPresent()
                : r.source().pod().map(ObjectKey::namespacedName).filter(p.from()::equals).isPresent();
        return source
                && r.destination().pod().map(ObjectKey::namespacedName).filter(p.to()::equals).isPresent();
    }

    private static int number(Protocol p) {
        return switch (p) {
            case TCP -> 6;
            case UDP -> 17;
            case SCTP -> 132;
        };
    }

    /** What ties a record to a probed cell. */
    private record Cell(IpAddress source, IpAddress destination, int protocol, int port) {
        static Cell of(DenialRecord r) {
            return new Cell(r.source().ip(), r.destination().ip(), r.protocol(), r.port());
        }
    }
}
