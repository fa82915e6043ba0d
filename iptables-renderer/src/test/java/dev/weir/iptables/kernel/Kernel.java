package dev.weir.iptables.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.LibC;
import dev.weir.iptables.sys.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway network namespaces for kernel tests, all named {@code wrb-<random>-<role>} (or another prefix) and deleted
 * by {@link #close} even when a test fails. Nothing here touches the host namespace's rules: every iptables/ipset
 * command runs inside a test namespace, and the only host-side commands are {@code ip netns add/del} and
 * {@code ip -n NS ...}.
 */
final class Kernel implements AutoCloseable {

    private final String prefix;
    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final List<String> names = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final NamespaceCommandRunner host = NamespaceCommandRunner.host();

    Kernel() {
        this("wrb-");
    }

    /** Namespaces named {@code <prefix><random>-<role>}: a test class with its own prefix sweeps only its own. */
    Kernel(String prefix) {
        this.prefix = prefix;
    }

    /** Skips (with the reason) unless we are root and the tools are installed. */
    static void assumeKernelTools(String... extraTools) {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/ns")), "kernel tests need Linux network namespaces");
        assumeTrue(LibC.get().getuid() == 0, "kernel tests need root (they create network namespaces)");
        List<String> tools = new ArrayList<>(List.of("ip", "ipset", "iptables-nft-restore", "iptables-legacy-restore",
                "ip6tables-nft-save", "ip6tables-legacy-save"));
        tools.addAll(List.of(extraTools));
        for (String tool : tools) {
            assumeTrue(onPath(tool), "kernel tests need " + tool + " on PATH");
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Creates {@code <prefix><id>-<role>} with loopback up. */
    String create(String role) {
        String name = prefix + id + "-" + role;
        host.run(List.of("ip", "netns", "add", name)).orThrow();
        names.add(name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    /** {@code ip -n NS args...}, failing the test on error. */
    void ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        host.run(argv).orThrow();
    }

    /**
     * Wires {@code pod} to {@code node} with a routed /32 veth: the node side has its own /32 gateway address, the pod
     * routes everything through it (canal's shape, no bridge).
     */
    void routedPod(String node, String pod, String hostIf, String podIp, String gateway) {
        ip(node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", pod);
        ip(node, "addr", "add", gateway + "/32", "dev", hostIf);
        ip(node, "link", "set", hostIf, "up");
        ip(node, "route", "add", podIp + "/32", "dev", hostIf);
        ip(pod, "addr", "add", podIp + "/32", "dev", "eth0");
        ip(pod, "link", "set", "eth0", "up");
        ip(pod, "route", "add", gateway + "/32", "dev", "eth0");
        ip(pod, "route", "add", "default", "via", gateway, "dev", "eth0");
    }

    /**
     * Wires {@code pod} to {@code node} as a port of the node's bridge {@code bridge} (flannel's bridge plugin shape):
     * the pod has {@code podIp/24} and routes through {@code gateway}, the bridge's address.
     */
    void bridgedPod(String node, String bridge, String pod, String hostIf, String podIp, String gateway) {
        ip(node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", pod);
        ip(node, "link", "set", hostIf, "master", bridge);
        ip(node, "link", "set", hostIf, "up");
        ip(pod, "addr", "add", podIp + "/24", "dev", "eth0");
        ip(pod, "link", "set", "eth0", "up");
        ip(pod, "route", "add", "default", "via", gateway, "dev", "eth0");
    }

    /** A bridge {@code name} in {@code node} with a fixed MAC and the pods' gateway address (flannel's cni0). */
    void bridge(String node, String name, String mac, String gatewayCidr) {
        ip(node, "link", "add", name, "type", "bridge");
        ip(node, "link", "set", name, "address", mac);
        ip(node, "addr", "add", gatewayCidr, "dev", name);
        ip(node, "link", "set", name, "up");
    }

    /** As the {@code bridgedPod} above, with the pod's MAC set to {@code mac}. */
    void bridgedPod(String node, String bridge, String pod, String hostIf, String podIp, String gateway, String mac) {
        bridgedPod(node, bridge, pod, hostIf, podIp, gateway);
        ip(pod, "link", "set", "eth0", "address", mac);
    }

    /** A runner whose processes live in {@code ns}; closed with this fixture. */
    NamespaceCommandRunner runner(String ns) {
        NetworkNamespace netns = NetworkNamespace.named(ns);
        NamespaceCommandRunner r = new NamespaceCommandRunner(netns);
        opened.add(r);
        opened.add(netns);
        return r;
    }

    NetworkNamespace namespace(String ns) {
        NetworkNamespace netns = NetworkNamespace.named(ns);
        opened.add(netns);
        return netns;
    }

    /** {@code iptables-save -t filter} without the timestamp comments and counters, for exact comparisons. */
    static String save(CommandRunner r, IptablesBackend backend, dev.weir.model.IpFamily family) {
        String out = r.run(backend.saveFilter(family)).orThrow().stdout();
        StringBuilder s = new StringBuilder();
        for (String line : out.split("\n")) {
            if (!line.startsWith("#")) {
                s.append(line.replaceAll("\\[\\d+:\\d+\\]", "[0:0]")).append('\n');
            }
        }
        return s.toString();
    }

    /** {@code iptables-<backend> args...} inside the runner's namespace: how a test plays "someone else". */
    static void iptables(CommandRunner r, IptablesBackend backend, String... args) {
        List<String> argv = new ArrayList<>(List.of("iptables-" + backend.word(), "-w"));
        argv.addAll(List.of(args));
        r.run(argv).orThrow();
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // best effort; the namespace delete below is what matters
            }
        }
        for (String name : names) {
            host.run(List.of("ip", "netns", "del", name));
        }
        host.close();
    }
}
