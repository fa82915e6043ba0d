package dev.weir.k8s;

import dev.weir.model.Cidr;
import dev.weir.model.LabelSelector;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * fabric8 {@code networking.k8s.io/v1} NetworkPolicy → model {@link NetworkPolicy}, rejecting what the API server's
 * {@code ValidateNetworkPolicy} rejects, with the same field paths.
 */
final class NetworkPolicyTranslator {

    private NetworkPolicyTranslator() {
    }

    static Translated<NetworkPolicy> translate(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy in) {
        String given = ModelTranslator.namespaceOf(in.getMetadata());
        String namespace = given == null ? null : given.intern(); // the string its cached pods hold (CompactPod)
        String name = in.getMetadata() == null ? null : in.getMetadata().getName();
        Findings findings = new Findings(ObjectKey.networkPolicy(namespace, name == null ? "<unnamed>" : name));
        findings.checkMetadata(name, namespace, false);
        NetworkPolicySpec spec = in.getSpec() == null ? new NetworkPolicySpec() : in.getSpec();
        Optional<LabelSelector> podSelector =
                SelectorTranslator.translate(spec.getPodSelector(), "spec.podSelector", findings);
        List<PolicyType> types = policyTypes(spec.getPolicyTypes(), findings);
        List<Rule> ingress = new ArrayList<>();
        List<NetworkPolicyIngressRule> ingressIn = spec.getIngress() == null ? List.of() : spec.getIngress();
        for (int i = 0; i < ingressIn.size(); i++) {
            NetworkPolicyIngressRule r = orEmpty(ingressIn.get(i), NetworkPolicyIngressRule::new,
                    "spec.ingress[" + i + "]", findings);
            rule(r.getFrom(), "from", r.getPorts(), "spec.ingress[" + i + "]", findings).ifPresent(ingress::add);
        }
        List<Rule> egress = new ArrayList<>();
        List<NetworkPolicyEgressRule> egressIn = spec.getEgress() == null ? List.of() : spec.getEgress();
        for (int i = 0; i < egressIn.size(); i++) {
            NetworkPolicyEgressRule r = orEmpty(egressIn.get(i), NetworkPolicyEgressRule::new,
                    "spec.egress[" + i + "]", findings);
            rule(r.getTo(), "to", r.getPorts(), "spec.egress[" + i + "]", findings).ifPresent(egress::add);
        }
        return findings.result(() -> new NetworkPolicy(namespace, name, podSelector.orElseThrow(), types, ingress,
                egress));
    }

    /**
     * A null list item read as the API server reads it: decoding into Go structs turns {@code null} into the item's
     * zero value, so {@code egress: [null]} is stored as {@code egress: [{}]} (a rule that allows all egress) and
     * {@code from: [null]} as a peer that sets nothing (rejected: must specify a peer). See docs/model.md.
     */
    private static <T> T orEmpty(T item, java.util.function.Supplier<T> zero, String field, Findings findings) {
        if (item != null) {
            return item;
        }
        findings.warn(field, "null read as {}, as the API server stores it");
        return zero.get();
    }

    private static List<PolicyType> policyTypes(List<String> declared, Findings findings) {
        List<PolicyType> out = new ArrayList<>();
        if (declared == null) {
            return out;
        }
        if (declared.size() > 2) {
            findings.error("spec.policyTypes", "may not specify more than two policyTypes");
        }
        for (int i = 0; i < declared.size(); i++) {
            String t = declared.get(i) == null ? "" : declared.get(i);
            if ("Ingress".equals(t)) {
                out.add(PolicyType.INGRESS);
            } else if ("Egress".equals(t)) {
                out.add(PolicyType.EGRESS);
            } else {
                findings.error("spec.policyTypes[" + i + "]",
                        "unsupported value \"" + t + "\": supported values: \"Egress\", \"Ingress\"");
            }
        }
        return out;
    }

    private static Optional<Rule> rule(List<NetworkPolicyPeer> peersIn, String peersField,
            List<NetworkPolicyPort> portsIn, String field, Findings findings) {
        int before = findings.errorCount();
        List<Peer> peers = new ArrayList<>();
        List<NetworkPolicyPeer> peerList = peersIn == null ? List.of() : peersIn;
        for (int i = 0; i < peerList.size(); i++) {
            String path = field + "." + peersField + "[" + i + "]";
            peer(orEmpty(peerList.get(i), NetworkPolicyPeer::new, path, findings), path, findings)
                    .ifPresent(peers::add);
        }
        List<PortMatch> ports = new ArrayList<>();
        List<NetworkPolicyPort> portList = portsIn == null ? List.of() : portsIn;
        for (int i = 0; i < portList.size(); i++) {
            String path = field + ".ports[" + i + "]";
            port(orEmpty(portList.get(i), NetworkPolicyPort::new, path, findings), path, findings)
                    .ifPresent(ports::add);
        }
        if (findings.errorCount() > before) {
            return Optional.empty();
        }
        return findings.attempt(field, () -> new Rule(peers, ports));
    }

    private static Optional<Peer> peer(NetworkPolicyPeer p, String field, Findings findings) {
        boolean hasSelector = p.getPodSelector() != null || p.getNamespaceSelector() != null;
        if (p.getIpBlock() != null) {
            if (hasSelector) {
                findings.error(field, "may not specify both ipBlock and another peer");
                return Optional.empty();
            }
            return ipBlock(p.getIpBlock(), field + ".ipBlock", findings);
        }
        if (!hasSelector) {
            findings.error(field, "must specify a peer");
            return Optional.empty();
        }
        Optional<LabelSelector> pods =
                SelectorTranslator.translate(p.getPodSelector(), field + ".podSelector", findings);
        if (p.getNamespaceSelector() == null) {
            return pods.map(Peer.Pods::inPolicyNamespace);
        }
        Optional<LabelSelector> namespaces =
                SelectorTranslator.translate(p.getNamespaceSelector(), field + ".namespaceSelector", findings);
        if (pods.isEmpty() || namespaces.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Peer.Pods(namespaces.get(), pods.get()));
    }

    private static Optional<Peer> ipBlock(IPBlock block, String field, Findings findings) {
        if (block.getCidr() == null || block.getCidr().isEmpty()) {
            findings.error(field + ".cidr", "Required value");
            return Optional.empty();
        }
        Optional<Cidr> cidr = cidr(block.getCidr(), field + ".cidr", findings);
        if (cidr.isEmpty()) {
            return Optional.empty();
        }
        List<Cidr> except = new ArrayList<>();
        List<String> exceptIn = block.getExcept() == null ? List.of() : block.getExcept();
        boolean ok = true;
        for (int i = 0; i < exceptIn.size(); i++) {
            String f = field + ".except[" + i + "]";
            String text = exceptIn.get(i);
            Optional<Cidr> e = cidr(text, f, findings);
            if (e.isEmpty()) {
                ok = false;
            } else if (e.get().family() != cidr.get().family()) {
                findings.error(f, "\"" + text + "\" is not of the same IP family as cidr \"" + block.getCidr() + "\"");
                ok = false;
            } else if (!cidr.get().contains(e.get()) || e.get().prefix() <= cidr.get().prefix()) {
                findings.error(f, "\"" + text + "\" must be a strict subset of `cidr` \"" + block.getCidr() + "\"");
                ok = false;
            } else {
                except.add(e.get());
            }
        }
        if (!ok) {
            return Optional.empty();
        }
        return findings.attempt(field, () -> new Peer.IpBlock(cidr.get(), except));
    }

    /**
     * A CIDR as the API server reads ipBlock fields: address/prefix, nothing around it. {@link Cidr#parse} alone is
     * more lenient (a bare address, surrounding blanks), which would let through what {@code kubectl apply} refuses.
     */
    private static Optional<Cidr> cidr(String text, String field, Findings findings) {
        if (text == null || text.indexOf('/') < 0 || !text.equals(text.strip())) {
            findings.error(field, "invalid CIDR \"" + text + "\" (want address/prefix, e.g. 10.0.0.0/8)");
            return Optional.empty();
        }
        return findings.attempt(field, () -> Cidr.parse(text));
    }

    private static Optional<PortMatch> port(NetworkPolicyPort p, String field, Findings findings) {
        Optional<Protocol> protocol = ModelTranslator.protocol(p.getProtocol(), field + ".protocol", findings);
        IntOrString port = p.getPort();
        Integer endPort = p.getEndPort();
        if (port == null || port.getValue() == null) {
            if (endPort != null) {
                findings.error(field + ".endPort", "may not be specified when `port` is not specified");
                return Optional.empty();
            }
            return protocol.map(PortMatch.AllPorts::new);
        }
        if (port.getIntVal() != null) {
            int first = port.getIntVal();
            if (first < 1 || first > 65535) {
                findings.error(field + ".port", "must be between 1 and 65535, inclusive (got " + first + ")");
                return Optional.empty();
            }
            int last = first;
            if (endPort != null) {
                if (endPort < first) {
                    findings.error(field + ".endPort", "must be greater than or equal to `port` (" + endPort + " < "
                            + first + ")");
                    return Optional.empty();
                }
                if (endPort > 65535) {
                    findings.error(field + ".endPort", "must be between 1 and 65535, inclusive (got " + endPort + ")");
                    return Optional.empty();
                }
                last = endPort;
            }
            int end = last;
            return protocol.flatMap(proto -> findings.attempt(field, () -> new PortMatch.Range(proto, first, end)));
        }
        String name = port.getStrVal();
        if (endPort != null) {
            findings.error(field + ".endPort", "may not be specified when `port` is a named port (\"" + name + "\")");
            return Optional.empty();
        }
        String problem = ApiValidation.portNameProblem(name);
        if (problem != null) {
            findings.error(field + ".port", problem);
            return Optional.empty();
        }
        return protocol.flatMap(proto -> findings.attempt(field + ".port", () -> new PortMatch.Named(proto, name)));
    }
}
