package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which weir chains of one table to (re)write and which to delete, for iptables and ebtables alike: a wanted chain is
 * written unless the table already holds it as wanted ({@code holds}, each table's own comparison); an installed weir
 * chain nobody wants is deleted, in name order.
 */
record ChainPlan(List<Chain> write, List<String> delete) {

    ChainPlan {
        write = List.copyOf(write);
        delete = List.copyOf(delete);
    }

    static ChainPlan between(List<Chain> desired, Predicate<Chain> holds, Collection<String> installed) {
        List<Chain> write = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (Chain c : desired) {
            wanted.add(c.name());
            if (!holds.test(c)) {
                write.add(c);
            }
        }
        List<String> delete = installed.stream().filter(n -> !wanted.contains(n)).sorted().toList();
        return new ChainPlan(write, delete);
    }
}
