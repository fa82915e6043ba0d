package dev.weir.iptables.render;

import dev.weir.graph.ClusterEvent;
import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded stream of cluster events over a {@link RandomClusters} cluster, the kinds an agent sees: pods added (now
 * and then on an address another pod held), removed, relabelled, readdressed and finished; namespaces relabelled;
 * NetworkPolicies and ClusterNetworkPolicies created, changed and deleted (their specs drawn from other random
 * clusters). It keeps the cluster the events lead to, so a test can compile that from scratch beside the graph the
 * events were applied to.
 */
final class RandomEvents {

    private static final List<String> NAMESPACES = List.of("a", "b", "c");
    private static final List<String> APPS = List.of("web", "db", "api");

    private final Random random;
    private final Map<ObjectKey, ClusterObject> objects = new TreeMap<>();
    private final List<String> usedAddresses = new ArrayList<>();
    private int serial;

    RandomEvents(long seed) {
        this.random = new Random(seed);
        ClusterSnapshot start = RandomClusters.generate(seed).snapshot();
        ClusterEvent.upsertsOf(start).forEach(e -> objects.put(e.key(), ((ClusterEvent.Upserted) e).object()));
    }

    /** The upserts that build the starting cluster. */
    List<ClusterEvent> start() {
        return objects.values().stream().<ClusterEvent>map(ClusterEvent.Upserted::new).toList();
    }

    /** The cluster as the events so far left it. */
    ClusterSnapshot snapshot() {
        return ClusterSnapshot.of(objects.values());
    }

    /** One to three events, as one sync drains them; each already applied to {@link #snapshot}. */
    List<ClusterEvent> nextBatch() {
        List<ClusterEvent> batch = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            ClusterEvent e = next();
            if (e instanceof ClusterEvent.Upserted u) {
                objects.put(u.key(), u.object());
            } else {
                objects.remove(e.key());
            }
            batch.add(e);
        }
        return batch;
    }

    private ClusterEvent next() {
        switch (random.nextInt(12)) {
            case 0, 1:
                return new ClusterEvent.Upserted(newPod());
            case 2:
                return some(Endpoint.class).<ClusterEvent>map(p -> new ClusterEvent.Deleted(p.key()))
                        .orElseGet(() -> new ClusterEvent.Upserted(newPod()));
            case 3, 4:
                return some(Endpoint.class).<ClusterEvent>map(p -> new ClusterEvent.Upserted(relabel(p)))
                        .orElseGet(() -> new ClusterEvent.Upserted(newPod()));
            case 5:
                return some(Endpoint.class).<ClusterEvent>map(p -> new ClusterEvent.Upserted(
                        random.nextInt(3) == 0 ? finish(p) : p.withIps(addresses())))
                        .orElseGet(() -> new ClusterEvent.Upserted(newPod()));
            case 6, 7: {
                Namespace ns = (Namespace) objects.get(ObjectKey.namespace(pick(NAMESPACES)));
                Map<String, String> labels = new TreeMap<>(ns.labels());
                labels.remove("team");
                int team = random.nextInt(3);
                if (team > 0) {
                    labels.put("team", team == 1 ? "x" : "y");
                }
                return new ClusterEvent.Upserted(new Namespace(ns.name(), labels, ns.denialLogging()));
            }
            case 8, 9: {
                // a new policy, or another spec under an existing policy's name
                NetworkPolicy spec = drawn(RandomClusters.generate(random.nextLong()).snapshot().policies());
                if (spec == null) {
                    return new ClusterEvent.Upserted(newPod());
                }
                NetworkPolicy old = random.nextBoolean() ? some(NetworkPolicy.class).orElse(null) : null;
                String ns = old != null ? old.namespace() : pick(NAMESPACES);
                String name = old != null ? old.name() : "ev" + serial++;
                return new ClusterEvent.Upserted(new NetworkPolicy(ns, name, spec.podSelector(),
                        spec.declaredPolicyTypes(), spec.ingress(), spec.egress()));
            }
            case 10:
                return some(NetworkPolicy.class).<ClusterEvent>map(p -> new ClusterEvent.Deleted(p.key()))
                        .orElseGet(() -> new ClusterEvent.Upserted(newPod()));
            default: {
                ClusterPolicy old = some(ClusterPolicy.class).orElse(null);
                if (old != null && random.nextBoolean()) {
                    return new ClusterEvent.Deleted(old.key());
                }
                ClusterPolicy spec = drawn(RandomClusters.generate(random.nextLong()).snapshot().clusterPolicies());
                if (spec == null) {
                    return new ClusterEvent.Upserted(newPod());
                }
                String name = old != null && random.nextBoolean() ? old.name() : "evc" + serial++;
                return new ClusterEvent.Upserted(new ClusterPolicy(name, spec.tier(), spec.priority(), spec.subject(),
                        spec.ingress(), spec.egress(), spec.loggedRules()));
            }
        }
    }

    private Endpoint newPod() {
        String ns = pick(NAMESPACES);
        String node = pick(RandomClusters.NODES);
        List<ContainerPort> ports = random.nextInt(4) == 0 ? List.of() : List.of(
                ContainerPort.named("http", random.nextBoolean() ? 80 : 8080, Protocol.TCP),
                ContainerPort.named("dns", 53, Protocol.UDP), ContainerPort.named("sig", 9000, Protocol.SCTP));
        return new Endpoint(ns, "ev" + serial++, Map.of("app", pick(APPS)), addresses(), node, false,
                PodPhase.RUNNING, ports);
    }

    /** A fresh address, or now and then one a pod held before (which may still hold it). */
    private List<IpAddress> addresses() {
        String v4;
        if (!usedAddresses.isEmpty() && random.nextInt(5) == 0) {
            v4 = pick(usedAddresses);
        } else {
            v4 = "10.0." + random.nextInt(3) + "." + (100 + serial++ % 150);
            usedAddresses.add(v4);
        }
        List<IpAddress> ips = new ArrayList<>(List.of(IpAddress.parse(v4)));
        if (random.nextInt(3) == 0) {
            ips.add(IpAddress.parse("fd00::" + v4.substring(v4.lastIndexOf('.') + 1) + ":" + random.nextInt(3)));
        }
        return ips;
    }

    private Endpoint relabel(Endpoint p) {
        Map<String, String> labels = new TreeMap<>(p.labels());
        labels.put("app", pick(APPS));
        return new Endpoint(p.namespace(), p.name(), labels, p.ips(), p.node(), p.hostNetwork(), p.phase(), p.ports(),
                p.created());
    }

    private static Endpoint finish(Endpoint p) {
        return new Endpoint(p.namespace(), p.name(), p.labels(), p.ips(), p.node(), p.hostNetwork(),
                PodPhase.SUCCEEDED, p.ports(), p.created());
    }

    private <T extends ClusterObject> java.util.Optional<T> some(Class<T> kind) {
        return java.util.Optional.ofNullable(drawn(objects.values().stream().filter(kind::isInstance).map(kind::cast)
                .toList()));
    }

    private <T> T drawn(List<T> from) {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
