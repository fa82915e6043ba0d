package dev.weir.iptables.apply;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link DataplaneApplier#apply} changed and how long it took. {@code bridge} is the bridge (ebtables) filter
 * table's changes; {@code bridgeSkipped} says why layer-2 rules that were wanted were not applied (no usable ebtables
 * on the node), empty when they were or none were wanted. {@code readKernel} says whether the installed state was read
 * from the kernel or taken from the last successful apply; {@code commands} counts processes run. {@code setsUpdated}
 * names every existing set whose members changed; {@code setsSwapped} those of them rewritten whole and swapped in, the
 * others changed in place by {@code membersAdded} adds and {@code membersRemoved} deletes.
 */
public record ApplyReport(List<String> setsCreated, List<String> setsUpdated, List<String> setsSwapped,
        int membersAdded, int membersRemoved, List<String> setsDestroyed,
        FamilyChanges v4, FamilyChanges v6, FamilyChanges bridge, Optional<String> bridgeSkipped, boolean readKernel,
        int commands, Duration readTime, Duration setTime, Duration ruleTime, Duration total) {

    public ApplyReport {
        setsCreated = List.copyOf(setsCreated);
        setsUpdated = List.copyOf(setsUpdated);
        setsSwapped = List.copyOf(setsSwapped);
        setsDestroyed = List.copyOf(setsDestroyed);
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(bridgeSkipped, "bridgeSkipped");
    }

    /** Per-table changes (a family's filter table, or the bridge filter table). */
    public record FamilyChanges(List<String> chainsWritten, List<String> chainsDeleted, List<String> hooksInserted,
            int hooksRemoved) {

        public static final FamilyChanges NONE = new FamilyChanges(List.of(), List.of(), List.of(), 0);

        public FamilyChanges {
            chainsWritten = List.copyOf(chainsWritten);
            chainsDeleted = List.copyOf(chainsDeleted);
            hooksInserted = List.copyOf(hooksInserted);
        }

        public boolean isEmpty() {
            return chainsWritten.isEmpty() && chainsDeleted.isEmpty() && hooksInserted.isEmpty() && hooksRemoved == 0;
        }
    }

    /** Nothing was changed. */
    public boolean isNoop() {
        return setsCreated.isEmpty() && setsUpdated.isEmpty() && setsDestroyed.isEmpty() && v4.isEmpty()
                && v6.isEmpty() && bridge.isEmpty();
    }

    /** One log line: counts and durations. */
    public String summary() {
        return String.format(
                "sets +%d ~%d (members +%d -%d, swapped %d) -%d, v4 chains ~%d -%d hooks +%d -%d, "
                        + "v6 chains ~%d -%d hooks +%d -%d, %s, "
                        + "%d commands, read %s (%dms), sets %dms, rules %dms, total %dms",
                setsCreated.size(), setsUpdated.size(), membersAdded, membersRemoved, setsSwapped.size(),
                setsDestroyed.size(),
                v4.chainsWritten().size(), v4.chainsDeleted().size(), v4.hooksInserted().size(), v4.hooksRemoved(),
                v6.chainsWritten().size(), v6.chainsDeleted().size(), v6.hooksInserted().size(), v6.hooksRemoved(),
                bridgeSkipped.map(why -> "bridge skipped (" + why + ")").orElse(String.format(
                        "bridge chains ~%d -%d hooks +%d -%d", bridge.chainsWritten().size(),
                        bridge.chainsDeleted().size(), bridge.hooksInserted().size(), bridge.hooksRemoved())),
                commands, readKernel ? "kernel" : "cache", readTime.toMillis(), setTime.toMillis(),
                ruleTime.toMillis(), total.toMillis());
    }
}
