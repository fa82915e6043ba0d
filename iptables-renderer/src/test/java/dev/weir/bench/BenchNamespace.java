package dev.weir.bench;

import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.NetworkNamespace;
import java.util.List;

/**
 * A throwaway network namespace {@code <prefix><random>} for a benchmark trial, with a runner inside it; {@link #close}
 * removes weir's rules and sets and deletes the namespace, whatever happened.
 */
final class BenchNamespace implements AutoCloseable {

    private final String name;
    private final NetworkNamespace namespace;
    private final NamespaceCommandRunner runner;
    private final IptablesBackend backend;

    BenchNamespace(String prefix, IptablesBackend backend) {
        this.name = prefix + Long.toHexString(System.nanoTime() & 0xffffff);
        this.backend = backend;
        NamespaceCommandRunner.host().run(List.of("ip", "netns", "add", name)).orThrow();
        this.namespace = NetworkNamespace.named(name);
        this.runner = new NamespaceCommandRunner(namespace);
    }

    NamespaceCommandRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        try {
            new Cleanup(runner, backend).run();
        } finally {
            runner.close();
            namespace.close();
            NamespaceCommandRunner.host().run(List.of("ip", "netns", "del", name));
        }
    }
}
