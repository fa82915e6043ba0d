package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.LibC;
import dev.weir.iptables.sys.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway network namespaces for discovery's kernel tests, named {@code wd-<random>-<role>}, all deleted by
 * {@link #close} even when a test fails (their veths go with them). The only host-side commands are
 * {@code ip netns add/del} and {@code ip -n NS ...}.
 */
final class Netns implements AutoCloseable {

    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final List<String> names = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final NamespaceCommandRunner host = NamespaceCommandRunner.host();

    /** Skips (with the reason) unless we are root on Linux with {@code ip}. */
    static void assumeRootWithIp() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/ns")), "kernel tests need Linux network namespaces");
        assumeTrue(LibC.get().getuid() == 0, "kernel tests need root (they create network namespaces)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "kernel tests need ip (iproute2)");
    }

    /** Creates {@code wd-<id>-<role>}. */
    String create(String role) {
        String name = "wd-" + id + "-" + role;
        host.run(List.of("ip", "netns", "add", name)).orThrow();
        names.add(name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    void ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        CommandRunner.Result r = host.run(argv);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", argv), r.stderr()).isZero();
    }

    String output(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        return host.run(argv).orThrow().stdout();
    }

    /** A pod namespace whose {@code eth0} is the peer of {@code hostIf} in {@code node}; returns the pod's MAC. */
    String veth(String node, String pod, String hostIf) {
        ip(node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", pod);
        ip(node, "link", "set", hostIf, "up");
        ip(pod, "link", "set", "eth0", "up");
        String line = output(pod, "-o", "link", "show", "eth0");
        return line.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
    }

    /** A runner whose processes live in {@code ns}; closed with this fixture. */
    CommandRunner runner(String ns) {
        NetworkNamespace netns = NetworkNamespace.named(ns);
        NamespaceCommandRunner r = new NamespaceCommandRunner(netns);
        opened.add(r);
        opened.add(netns);
        return r;
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // best effort; deleting the namespaces is what matters
            }
        }
        for (String name : names) {
            host.run(List.of("ip", "netns", "del", name));
        }
        host.close();
    }
}
