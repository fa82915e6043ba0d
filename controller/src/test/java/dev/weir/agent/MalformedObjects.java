package dev.weir.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random malformed objects of every kind weir reads, as the JSON trees a client can send: a valid template of the kind
 * with one to four mutations at random places — a null, a removed field, a value of the wrong type, a null list item
 * or map value, an out-of-range number, a huge or odd string. Deterministic for a given {@link Random}.
 */
final class MalformedObjects {

    /** The kinds weir reads, by their templates' {@code kind}. */
    static final List<String> KINDS = List.of("Namespace", "Pod", "Node", "NetworkPolicy", "ClusterNetworkPolicy");

    private static final Object[] ODD_NUMBERS = {-1, 0, 65536, 70000, Integer.MAX_VALUE, 2147483648L,
            Long.MIN_VALUE, 1e30, 3.5, -0.0};
    private static final String[] ODD_STRINGS = {"", " ", "-", "a/b", "Ingress ", "tcp", "10.0.0.0/33", "::/129",
            "1.2.3.4", "10.0.0.1/8", "fe80::1%eth0", "http--x", "\u0000", "ü", "--- {", "{}", "null", "In", "Exists",
            "-1", "65536", "x".repeat(64), "Admin", "Deny"};

    private final Random random;

    MalformedObjects(Random random) {
        this.random = random;
    }

    /** A malformed object of {@code kind}, named {@code name} (in namespace {@code z} when namespaced). */
    Map<String, Object> next(String kind, String name) {
        Map<String, Object> object = template(kind, name);
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutate(object);
        }
        return object;
    }

    static Map<String, Object> template(String kind, String name) {
        return switch (kind) {
            case "Namespace" -> map("apiVersion", "v1", "kind", kind, "metadata",
                    map("name", name, "labels", map("team", "t")));
            case "Pod" -> map("apiVersion", "v1", "kind", kind,
                    "metadata", map("name", name, "namespace", "z", "labels", map("app", "f")),
                    "spec", map("nodeName", "n1", "hostNetwork", false,
                            "initContainers", list(map("name", "i", "image", "i")),
                            "containers", list(map("name", "c", "image", "i", "ports",
                                    list(map("containerPort", 80, "protocol", "TCP", "name", "http"))))),
                    "status", map("phase", "Running", "podIP", "10.1.0.5", "podIPs",
                            list(map("ip", "10.1.0.5"), map("ip", "fd00::5"))));
            case "Node" -> map("apiVersion", "v1", "kind", kind, "metadata", map("name", name, "labels",
                    map("zone", "a")), "status", map("addresses", list(map("type", "InternalIP", "address",
                    "192.168.0.10"), map("type", "Hostname", "address", name))));
            case "NetworkPolicy" -> map("apiVersion", "networking.k8s.io/v1", "kind", kind,
                    "metadata", map("name", name, "namespace", "z"),
                    "spec", map("podSelector", selector(), "policyTypes", list("Ingress", "Egress"),
                            "ingress", list(map("from", list(map("podSelector", selector(), "namespaceSelector",
                                    selector()), map("ipBlock", map("cidr", "10.0.0.0/8", "except",
                                    list("10.1.0.0/16")))), "ports", list(map("protocol", "TCP", "port", 80,
                                    "endPort", 90), map("port", "http")))),
                            "egress", list(map("to", list(map("namespaceSelector", selector())),
                                    "ports", list(map("protocol", "UDP", "port", 53))))));
            case "ClusterNetworkPolicy" -> map("apiVersion", "policy.networking.k8s.io/v1alpha2", "kind", kind,
                    "metadata", map("name", name),
                    "spec", map("tier", "Baseline", "priority", 10,
                            "subject", map("namespaces", map("matchLabels",
                                    map("kubernetes.io/metadata.name", "z"))),
                            "ingress", list(map("name", "r", "action", "Deny", "from",
                                    list(map("namespaces", selector()), map("pods", map("namespaceSelector",
                                            selector(), "podSelector", selector()))),
                                    "protocols", list(map("tcp", map("destinationPort", map("range",
                                            map("start", 80, "end", 90)))), map("destinationNamedPort", "http")))),
                            "egress", list(map("name", "e", "action", "Accept", "to",
                                    list(map("networks", list("10.0.0.0/8"))),
                                    "protocols", list(map("udp", map("destinationPort", map("number", 53))))))));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Map<String, Object> selector() {
        return map("matchLabels", map("app", "f"), "matchExpressions",
                list(map("key", "tier", "operator", "In", "values", list("web"))));
    }

    /** Picks a random container in the tree (the root included) and mutates one of its entries. */
    @SuppressWarnings("unchecked")
    private void mutate(Map<String, Object> root) {
        List<Object> containers = new ArrayList<>();
        collect(root, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(map.keySet());
            String key = keys.isEmpty() || random.nextInt(10) == 0 ? oddString()
                    : keys.get(random.nextInt(keys.size()));
            if (random.nextInt(6) == 0) {
                map.remove(key);
            } else {
                map.put(key, replacement(map.get(key)));
            }
        } else {
            List<Object> list = (List<Object>) target;
            int op = random.nextInt(4);
            if (list.isEmpty() || op == 0) {
                list.add(random.nextInt(list.size() + 1), random.nextBoolean() ? null : replacement(null));
            } else if (op == 1) {
                list.remove(random.nextInt(list.size()));
            } else {
                list.set(random.nextInt(list.size()), replacement(list.get(random.nextInt(list.size()))));
            }
        }
    }

    private static void collect(Object node, List<Object> out) {
        if (node instanceof Map<?, ?> m) {
            out.add(node);
            m.values().forEach(v -> collect(v, out));
        } else if (node instanceof List<?> l) {
            out.add(node);
            l.forEach(v -> collect(v, out));
        }
    }

    /** A value of another type, or an odd one of the same, or null. */
    private Object replacement(Object old) {
        return switch (random.nextInt(12)) {
            case 0, 1 -> null;
            case 2 -> ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
            case 3, 4 -> oddString();
            case 5 -> random.nextBoolean();
            case 6 -> new LinkedHashMap<>();
            case 7 -> new ArrayList<>();
            case 8 -> list((Object) null);
            case 9 -> map("a", null);
            case 10 -> random.nextInt(50) == 0 ? "x".repeat(70_000) : "y".repeat(254 + random.nextInt(200));
            default -> old instanceof Number ? ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)] : oddString();
        };
    }

    private String oddString() {
        return ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(java.util.Arrays.asList(items));
    }
}
