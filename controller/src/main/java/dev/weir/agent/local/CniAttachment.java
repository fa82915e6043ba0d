package dev.weir.agent.local;

import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One attachment of a container to a CNI network as libcni caches it ({@code <cacheDir>/results/<network>-<container
 * id>-<ifName>}, {@code kind: cniCacheV1}), reduced to what interface discovery reads: the pod it was made for (the
 * {@code K8S_POD_NAMESPACE} and {@code K8S_POD_NAME} CNI args the kubelet's runtime passes) and the CNI result's
 * interfaces and addresses. Container runtimes that call CNI through libcni (containerd, CRI-O) write one file per
 * attachment on ADD and remove it on DEL.
 */
public record CniAttachment(String file, String containerId, String ifName, String network, String podNamespace,
        String podName, List<Interface> interfaces, List<Address> addresses) {

    static final String KIND = "cniCacheV1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An interface of the CNI result; {@code sandbox} is the pod's network namespace path, empty on the host side. */
    public record Interface(String name, Optional<String> mac, Optional<String> sandbox) {
        public Interface {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(sandbox, "sandbox");
        }
    }

    /** An address of the CNI result and the index of the interface it is on, if the result says. */
    public record Address(IpAddress address, OptionalInt interfaceIndex) {
        public Address {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(interfaceIndex, "interfaceIndex");
        }
    }

    public CniAttachment {
        Objects.requireNonNull(file, "file");
        interfaces = List.copyOf(interfaces);
        addresses = List.copyOf(addresses);
    }

    /** The interface an address of the result is on, if its index points at one. */
    public Optional<Interface> interfaceOf(Address a) {
        if (a.interfaceIndex().isEmpty()) {
            return Optional.empty();
        }
        int i = a.interfaceIndex().getAsInt();
        return i >= 0 && i < interfaces.size() ? Optional.of(interfaces.get(i)) : Optional.empty();
    }

    /**
     * Reads one cache file. A file that is not a libcni cache entry of a Kubernetes pod with a CNI 0.3+ result (other
     * kinds, a result without interfaces, no pod args, broken JSON, a half-written file) is refused with an
     * {@link IllegalArgumentException} saying why.
     */
    public static CniAttachment parse(String file, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!KIND.equals(text(root, "kind"))) {
            throw new IllegalArgumentException("kind is " + root.path("kind") + ", not " + KIND);
        }
        String namespace = null;
        String name = null;
        for (JsonNode pair : root.path("cniArgs")) {
            if (pair.isArray() && pair.size() == 2 && pair.get(0).isString() && pair.get(1).isString()) {
                switch (pair.get(0).asString()) {
                    case "K8S_POD_NAMESPACE" -> namespace = pair.get(1).asString();
                    case "K8S_POD_NAME" -> name = pair.get(1).asString();
                    default -> {
                    }
                }
            }
        }
        if (namespace == null || name == null || namespace.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("no K8S_POD_NAMESPACE and K8S_POD_NAME in cniArgs");
        }
        JsonNode result = root.path("result");
        if (!result.path("interfaces").isArray() || !result.path("ips").isArray()) {
            throw new IllegalArgumentException("the result has no interfaces and ips (no result, or CNI before 0.3)");
        }
        List<Interface> interfaces = new ArrayList<>();
        for (JsonNode i : result.path("interfaces")) {
            String ifName = text(i, "name");
            if (ifName == null) {
                throw new IllegalArgumentException("an interface of the result has no name");
            }
            interfaces.add(new Interface(ifName, Optional.ofNullable(text(i, "mac")).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(text(i, "sandbox")).filter(s -> !s.isEmpty())));
        }
        List<Address> addresses = new ArrayList<>();
        for (JsonNode ip : result.path("ips")) {
            String address = text(ip, "address");
            String host = address == null ? "" : address.split("/", 2)[0];
            if (!IpAddress.isValid(host)) {
                throw new IllegalArgumentException("an address of the result is not an address: " + ip.path("address"));
            }
            JsonNode index = ip.path("interface");
            addresses.add(new Address(IpAddress.parse(host),
                    index.isInt() ? OptionalInt.of(index.asInt()) : OptionalInt.empty()));
        }
        return new CniAttachment(file, Objects.toString(text(root, "containerId"), ""),
                Objects.toString(text(root, "ifName"), ""), Objects.toString(text(root, "networkName"), ""), namespace,
                name, interfaces, addresses);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.asString() : null;
    }

    @Override
    public String toString() {
        return file + " (pod " + podNamespace + "/" + podName + ")";
    }
}
