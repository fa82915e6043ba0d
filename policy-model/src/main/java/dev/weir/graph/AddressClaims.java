package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which pod holds each address that live pods claim. Two policy endpoints ({@link Endpoint#isPolicyEndpoint()}) can
 * claim one address for a while: a pod's sandbox is torn down and its IP handed to a new pod while the old Pod object
 * is still in the API (Running, or terminating with kubelet's status lagging), and an informer may deliver the new
 * pod before the old one's deletion. The address belongs to the first claimant in {@link #PRECEDENCE}; every other
 * claimant is treated as not having it, so it can neither be a peer nor be judged by it (docs/model.md, "One address,
 * one pod"). The holder depends only on the claimants present, never on the order of events. Single-threaded, owned
 * by its graph.
 */
final class AddressClaims {

    /**
     * Who holds a contested address: the pod created last. A pod whose creation time is unknown (a hand-written
     * manifest) counts as older than any pod whose time is known. Ties (creation times have whole seconds, so both
     * pods were created in the same second, or neither time is known) go to the key ({@code ns/name}) that sorts
     * first.
     */
    static final Comparator<Endpoint> PRECEDENCE = Comparator
            .comparing(Endpoint::created, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(e -> e.key().namespacedName());

    /**
     * Per claimed address, its claimants (their reported records) in {@link #PRECEDENCE}, the holder first: the
     * {@link Endpoint} itself when it is the only one (nearly every address: a list each cost 48 bytes a pod), else a
     * list. Read through {@link #claimantsOf}.
     */
    private final Map<IpAddress, Object> claimants = new HashMap<>();
    /** The addresses with more than one claimant. */
    private final TreeSet<IpAddress> contested = new TreeSet<>();

    /** Whether a pod's record claims its addresses: only a live policy endpoint does. */
    static boolean claims(Endpoint e) {
        return e != null && e.isPolicyEndpoint();
    }

    /**
     * Records that the pod {@code key} changed from {@code before} to {@code after} (its reported records, null when
     * absent). Returns the keys of the pods whose held addresses may have changed: {@code key} itself and every
     * claimant, before and after, of the addresses either record claims.
     */
    Set<String> update(String key, Endpoint before, Endpoint after) {
        Set<String> affected = new LinkedHashSet<>();
        affected.add(key);
        if (claims(before)) {
            for (IpAddress ip : before.ips()) {
                List<Endpoint> list = new ArrayList<>(claimantsOf(ip));
                list.forEach(e -> affected.add(e.key().namespacedName()));
                list.removeIf(e -> e.key().namespacedName().equals(key));
                store(ip, list);
                if (list.size() < 2) {
                    contested.remove(ip);
                }
            }
        }
        if (claims(after)) {
            for (IpAddress ip : after.ips()) {
                List<Endpoint> list = new ArrayList<>(claimantsOf(ip));
                list.forEach(e -> affected.add(e.key().namespacedName()));
                int at = 0;
                while (at < list.size() && PRECEDENCE.compare(list.get(at), after) < 0) {
                    at++;
                }
                list.add(at, after);
                store(ip, list);
                if (list.size() > 1) {
                    contested.add(ip);
                }
            }
        }
        return affected;
    }

    /** The record as policy sees it: without the addresses other pods hold (the same record when it holds all). */
    Endpoint held(Endpoint reported) {
        if (!claims(reported)) {
            return reported;
        }
        String key = reported.key().namespacedName();
        List<IpAddress> held = null;
        List<IpAddress> ips = reported.ips();
        for (int i = 0; i < ips.size(); i++) {
            boolean holds = !contested.contains(ips.get(i)) || holder(ips.get(i)).equals(key);
            if (!holds && held == null) {
                held = new ArrayList<>(ips.subList(0, i));
            } else if (holds && held != null) {
                held.add(ips.get(i));
            }
        }
        return held == null ? reported : reported.withIps(held);
    }

    private String holder(IpAddress ip) {
        return claimantsOf(ip).get(0).key().namespacedName();
    }

    @SuppressWarnings("unchecked")
    private List<Endpoint> claimantsOf(IpAddress ip) {
        Object c = claimants.get(ip);
        return c == null ? List.of() : c instanceof Endpoint e ? List.of(e) : (List<Endpoint>) c;
    }

    private void store(IpAddress ip, List<Endpoint> list) {
        if (list.isEmpty()) {
            claimants.remove(ip);
        } else {
            claimants.put(ip, list.size() == 1 ? list.get(0) : list);
        }
    }

    /** Every pod that lost an address, by key; O(contested addresses). */
    SortedMap<String, Displacement> displaced() {
        Map<String, Endpoint> losers = new HashMap<>();
        Map<String, SortedMap<IpAddress, String>> lost = new HashMap<>();
        for (IpAddress ip : contested) {
            List<Endpoint> list = claimantsOf(ip);
            String holder = list.get(0).key().namespacedName();
            for (Endpoint loser : list.subList(1, list.size())) {
                String key = loser.key().namespacedName();
                losers.put(key, loser);
                lost.computeIfAbsent(key, k -> new TreeMap<>()).put(ip, holder);
            }
        }
        SortedMap<String, Displacement> out = new TreeMap<>();
        lost.forEach((key, heldBy) -> out.put(key, new Displacement(losers.get(key), heldBy)));
        return out;
    }
}
