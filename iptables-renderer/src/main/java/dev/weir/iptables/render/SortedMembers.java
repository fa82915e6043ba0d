package dev.weir.iptables.render;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A set's members, sorted and distinct, immutable: what every {@link IpSetSpec} holds. Its own type so that a list
 * already in this form (a set patched from the one before, {@link SetMemo}) is taken as it is instead of being sorted
 * again, which is most of what building a large set costs.
 */
final class SortedMembers extends AbstractList<String> implements RandomAccess {

    private final String[] members;

    private SortedMembers(String[] sortedDistinct) {
        this.members = sortedDistinct;
    }

    /** {@code members} sorted, duplicates dropped. */
    static SortedMembers of(List<String> members) {
        if (members instanceof SortedMembers s) {
            return s;
        }
        String[] a = members.toArray(new String[0]);
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) {
                throw new NullPointerException("ipset member");
            }
            if (n == 0 || !a[i].equals(a[n - 1])) {
                a[n++] = a[i];
            }
        }
        return new SortedMembers(n == a.length ? a : Arrays.copyOf(a, n));
    }

    /** Trusts the caller: {@code sortedDistinct} is sorted, distinct, and not changed afterwards. */
    static SortedMembers trusted(String[] sortedDistinct) {
        return new SortedMembers(sortedDistinct);
    }

    @Override
    public String get(int index) {
        return members[index];
    }

    @Override
    public int size() {
        return members.length;
    }
}
