package dev.weir.iptables.apply;

import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.RestoreText;
import java.util.List;

/**
 * {@code ipset restore} payloads, in the renderer's text forms ({@link RestoreText#ipsetCreate}: fixed sizes, so
 * {@code create -exist} never meets a set of the same type with other options). A new set is created and filled; a
 * changed set is filled into a scratch set of the same type and swapped in, so a packet always sees the old or the new
 * membership, never a half-filled set.
 */
final class IpsetText {

    private IpsetText() {
    }

    static String createAndRefill(List<IpSetSpec> create, List<IpSetSpec> refill) {
        StringBuilder s = new StringBuilder();
        for (IpSetSpec set : create) {
            s.append(RestoreText.ipsetCreate(set.name(), set)).append('\n');
            s.append("flush ").append(set.name()).append('\n');
            s.append(RestoreText.ipsetAdds(set.name(), set));
        }
        for (IpSetSpec set : refill) {
            String tmp = Names.tempSet(set.name());
            s.append(RestoreText.ipsetCreate(tmp, set)).append('\n');
            s.append("flush ").append(tmp).append('\n');
            s.append(RestoreText.ipsetAdds(tmp, set));
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
}
