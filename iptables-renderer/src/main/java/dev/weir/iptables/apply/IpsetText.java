package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import java.util.List;

/**
 * {@code ipset restore} payloads. A new set is created and filled; a changed set is filled into a scratch set of the
 * same type and swapped in, so a packet always sees the old or the new membership, never a half-filled set.
 */
final class IpsetText {

    private IpsetText() {
    }

    static String createAndRefill(List<IpSetSpec> create, List<IpSetSpec> refill) {
        StringBuilder s = new StringBuilder();
        for (IpSetSpec set : create) {
            header(s, set.name(), set).append('\n');
            s.append("flush ").append(set.name()).append('\n');
            members(s, set.name(), set);
        }
        for (IpSetSpec set : refill) {
            String tmp = Names.tempSet(set.name());
            header(s, tmp, set).append('\n');
            s.append("flush ").append(tmp).append('\n');
            members(s, tmp, set);
            s.append("swap ").append(tmp).append(' ').append(set.name()).append('\n');
            s.append("destroy ").append(tmp).append('\n');
        }
        return s.toString();
    }

    static String destroy(List<String> names) {
        StringBuilder s = new StringBuilder();
        names.forEach(n -> s.append("destroy ").append(n).append('\n'));
        return s.toString();
    }

    /** {@code -exist} makes a leftover of the same type harmless; sizes leave room for the set to double. */
    private static StringBuilder header(StringBuilder s, String name, IpSetSpec set) {
        int n = set.members().size();
        return s.append("create ").append(name).append(' ').append(set.type().ipsetName())
                .append(" family ").append(InstalledSet.familyWord(set.family()))
                .append(" hashsize ").append(Math.max(1024, pow2(n)))
                .append(" maxelem ").append(Math.max(65536, pow2(2 * n)))
                .append(" -exist");
    }

    private static void members(StringBuilder s, String name, IpSetSpec set) {
        set.members().forEach(m -> s.append("add ").append(name).append(' ').append(m).append('\n'));
    }

    private static int pow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}
