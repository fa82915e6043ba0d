package dev.weir.iptables.apply;

import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one network namespace's weir chains, hooks and ipsets equal a {@link Ruleset}, touching nothing else.
 *
 * <p>Order: (1) one {@code ipset restore} creates new sets, deletes and adds the changed members of sets whose
 * content this applier installed itself ({@code -exist}), and refills the other changed sets through a scratch set and
 * {@code ipset swap}; (2) one {@code iptables-restore --noflush --wait} per family rewrites only the chains whose
 * rule hashes changed, fixes hooks and deletes stale chains, atomically; (3) one {@code ipset restore} destroys stale
 * sets, which by then no rule references; (4) one {@code ebtables-restore --noflush} writes the changed layer-2 chains
 * and hooks of the bridge table. A failure in (2) leaves that table as it was and skips (3) and (4), so no rule ever
 * points at a missing set. The bridge table goes last so that a node whose ebtables fails still gets its policy.
 *
 * <p>The installed state is read from the kernel on the first apply (one {@code iptables-save -t filter} per family,
 * one {@code ebtables-save}, {@code ipset list -n}, and {@code ipset save} only for sets whose content is needed) and
 * afterwards taken from the last successful apply, so a membership-only change costs one {@code ipset restore} of the
 * changed members. When no
 * ebtables runs on the node ({@link EbtablesTool}), the bridge table is left alone and every report says the
 * layer-2 rules were skipped. Any failure makes the next apply
 * read the kernel again; drift found by {@link #checkDrift} makes it plan against what the check read. Not
 * thread-safe: one sync loop owns it.
 */
public final class DataplaneApplier {

    private static final Logger LOG = LoggerFactory.getLogger(DataplaneApplier.class);

    /** Past this many sets whose content is unknown, one {@code ipset save} of everything beats one per set. */
    private static final int SAVE_ALL_THRESHOLD = 4;

    private final CommandRunner runner;
    private final IptablesBackend backend;
    /** The ebtables the last kernel read could use; null when none could (then the bridge table is left alone). */
    private EbtablesTool ebtables;
    /** Why no ebtables could be used, as the last kernel read found; null when one could. */
    private String ebtablesMissing;
    private boolean warnedBridgeSkipped;
    private InstalledState believed;
    /** Whether {@link #believed} was read from the kernel (by a drift check) rather than taken from the last apply. */
    private boolean believedRead;
    private int commands;

    public DataplaneApplier(CommandRunner runner, IptablesBackend backend) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public IptablesBackend backend() {
        return backend;
    }

    /** Makes the kernel match {@code desired}. */
    public ApplyReport apply(Ruleset desired) {
        commands = 0;
        long t0 = System.nanoTime();
        boolean readKernel = believed == null || believedRead;
        InstalledState installed = believed == null ? read(desired) : believed;
        long t1 = System.nanoTime();
        Ruleset target = applicable(desired);
        Optional<String> bridgeSkipped = target == desired ? Optional.empty() : Optional.of(ebtablesMissing);
        if (ebtables == null) {
            // whatever an earlier apply wrote there, the bridge table cannot be written now
            installed = installed.withBridge(InstalledBridge.EMPTY);
        }
        ApplyPlan plan = ApplyPlan.between(target, installed);
        believed = null;
        long setNanos = 0;
        long ruleNanos = 0;
        if (plan.changesSets()) {
            long s = System.nanoTime();
            exec(List.of("ipset", "restore"), plan.setScript());
            setNanos += System.nanoTime() - s;
        }
        for (FamilyPlan fp : List.of(plan.v4(), plan.v6())) {
            if (!fp.isEmpty()) {
                long s = System.nanoTime();
                exec(backend.restoreNoflush(fp.family()), fp.restoreText());
                ruleNanos += System.nanoTime() - s;
            }
        }
        if (!plan.setsToDestroy().isEmpty()) {
            long s = System.nanoTime();
            exec(List.of("ipset", "restore"), IpsetScript.restore().destroy(plan.setsToDestroy()).text());
            setNanos += System.nanoTime() - s;
        }
        if (!plan.bridge().isEmpty()) {
            long s = System.nanoTime();
            exec(ebtables.restoreNoflush(), plan.bridge().restoreText());
            ruleNanos += System.nanoTime() - s;
        }
        believed = InstalledState.of(target);
        believedRead = false;
        if (bridgeSkipped.isPresent() && !warnedBridgeSkipped) {
            int ports = desired.bridge().chains().size() - 1; // a chain per port, and the dispatch chain
            LOG.warn("layer-2 anti-spoofing for {} bridge ports on {} is not applied: {}", ports, desired.node(),
                    bridgeSkipped.get());
            warnedBridgeSkipped = true;
        }
        ApplyReport report = new ApplyReport(
                plan.setsToCreate().stream().map(IpSetSpec::name).toList(),
                updated(plan), plan.setsToRefill().stream().map(IpSetSpec::name).toList(),
                plan.setsToUpdate().stream().mapToInt(c -> c.added().size()).sum(),
                plan.setsToUpdate().stream().mapToInt(c -> c.removed().size()).sum(),
                plan.setsToDestroy(), changes(plan.v4()), changes(plan.v6()), plan.bridge().changes(), bridgeSkipped,
                readKernel, commands,
                Duration.ofNanos(t1 - t0), Duration.ofNanos(setNanos), Duration.ofNanos(ruleNanos),
                Duration.ofNanos(System.nanoTime() - t0));
        LOG.info("applied ruleset for {}: {}", desired.node(), report.summary());
        return report;
    }

    /**
     * Reads the kernel (one {@code iptables-save} per family and one {@code ipset save}) and reports how it differs
     * from {@code desired}, set members included. When it differs, the next {@link #apply} plans against exactly what
     * this check read, so it repairs the difference without reading again.
     */
    public DriftReport checkDrift(Ruleset desired) {
        commands = 0;
        InstalledState kernel = readAll(desired);
        DriftReport report = DriftCheck.compare(applicable(desired), kernel);
        if (!report.isClean()) {
            LOG.warn("{} on {}; the next apply repairs it", report, desired.node());
            believed = kernel;
            believedRead = true;
        }
        return report;
    }

    /**
     * What can be applied here: {@code desired}, or without its bridge table when the last kernel read found no
     * usable ebtables (the bridge table is then neither written nor compared).
     */
    private Ruleset applicable(Ruleset desired) {
        return ebtables != null || desired.bridge().isEmpty() ? desired : desired.withBridge(BridgeRuleset.EMPTY);
    }

    /** Forgets what was applied; the next apply reads the kernel. */
    public void forget() {
        believed = null;
    }

    /** Reads what weir owns, including the content of the desired sets that exist (needed to diff them). */
    InstalledState read(Ruleset desired) {
        InstalledState names = readNames(desired);
        List<String> unknown = desired.sets().stream().map(IpSetSpec::name)
                .filter(n -> names.sets().containsKey(n)).toList();
        if (unknown.isEmpty()) {
            return names;
        }
        Map<String, InstalledSet> sets = new LinkedHashMap<>(names.sets());
        if (unknown.size() > SAVE_ALL_THRESHOLD) {
            sets.putAll(InstalledSet.parseSave(exec(List.of("ipset", "save"), null).stdout()));
        } else {
            for (String name : unknown) {
                sets.putAll(InstalledSet.parseSave(exec(List.of("ipset", "save", name), null).stdout()));
            }
        }
        return new InstalledState(names.v4(), names.v6(), sets, names.bridge());
    }

    /** Every weir chain, hook and set with its members: what a drift check compares. */
    private InstalledState readAll(Ruleset desired) {
        return readRulesAnd(desired, List.of("ipset", "save"), InstalledSet::parseSave);
    }

    private InstalledState readNames(Ruleset desired) {
        return readRulesAnd(desired, List.of("ipset", "list", "-n"), InstalledSet::parseNames);
    }

    private InstalledState readRulesAnd(Ruleset desired, List<String> ipsetArgv,
            Function<String, Map<String, InstalledSet>> parser) {
        InstalledFamily v4 = readFamily(IpFamily.V4, desired.v4());
        InstalledFamily v6 = readFamily(IpFamily.V6, desired.v6());
        InstalledBridge bridge = readBridge();
        return new InstalledState(v4, v6, parser.apply(exec(ipsetArgv, null).stdout()), bridge);
    }

    /**
     * One {@code ebtables-save} with the first ebtables binary that runs ({@link EbtablesTool#candidates}). None
     * installed, or one that cannot read the bridge table (a kernel without bridge netfilter): there is nothing of
     * weir's to see, and the bridge table is skipped until a later read finds a usable one.
     */
    private InstalledBridge readBridge() {
        List<String> tried = new ArrayList<>();
        for (EbtablesTool tool : EbtablesTool.candidates(backend)) {
            CommandRunner.Result r;
            commands++;
            try {
                r = runner.run(tool.save(), null);
            } catch (ApplyException cannotRun) {
                LOG.debug("{}", cannotRun.getMessage());
                tried.add(tool.save().get(0));
                continue;
            }
            if (r.ok()) {
                if (ebtables == null && ebtablesMissing != null) {
                    LOG.info("{} works now; layer-2 rules are applied again", tool.binary());
                }
                ebtables = tool;
                ebtablesMissing = null;
                warnedBridgeSkipped = false;
                return InstalledBridge.parse(r.stdout());
            }
            return noEbtables(String.join(" ", r.argv()) + " exited " + r.exitCode() + ": " + r.stderr().strip());
        }
        return noEbtables("no ebtables on the node (" + String.join(", ", tried) + " not found)");
    }

    private InstalledBridge noEbtables(String why) {
        ebtables = null;
        ebtablesMissing = why;
        return InstalledBridge.EMPTY;
    }

    /** A family weir wants nothing in may be unusable (IPv6 disabled): then there is nothing of weir's in it. */
    private InstalledFamily readFamily(IpFamily family, FamilyRuleset desired) {
        List<String> argv = backend.saveFilter(family);
        CommandRunner.Result r = runner.run(argv, null);
        commands++;
        if (r.ok()) {
            return InstalledFamily.parse(r.stdout());
        }
        if (desired.chains().isEmpty() && desired.hooks().isEmpty()) {
            LOG.debug("{} failed ({}); treating {} as empty", argv, r.stderr().strip(), family);
            return InstalledFamily.EMPTY;
        }
        throw ApplyException.of(r);
    }

    private CommandRunner.Result exec(List<String> argv, String stdin) {
        commands++;
        LOG.debug("running {} ({} bytes of input)", argv, stdin == null ? 0 : stdin.length());
        return runner.run(argv, stdin).orThrow();
    }

    /** Every set whose members changed, in place or by a swap, in name order. */
    private static List<String> updated(ApplyPlan plan) {
        List<String> names = new ArrayList<>();
        plan.setsToUpdate().forEach(c -> names.add(c.name()));
        plan.setsToRefill().forEach(s -> names.add(s.name()));
        names.sort(null);
        return names;
    }

    private static ApplyReport.FamilyChanges changes(FamilyPlan fp) {
        if (fp.isEmpty()) {
            return ApplyReport.FamilyChanges.NONE;
        }
        List<String> hooks = new ArrayList<>();
        for (Hook h : fp.hooksToInsert()) {
            hooks.add(h.builtinChain() + " -> " + h.target());
        }
        return new ApplyReport.FamilyChanges(fp.chainsToWrite().stream().map(Chain::name).toList(),
                fp.chainsToDelete(), hooks, fp.hooksToRemove().size());
    }

    @Override
    public String toString() {
        return "DataplaneApplier[" + backend.word() + " via " + runner + "]";
    }
}
