package dev.weir.iptables.kernel;

import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.sys.NetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ncat} echo servers ("pong") on one address inside a test namespace, stopped together. */
final class EchoServers implements AutoCloseable {

    private final NetworkNamespace namespace;
    private final CommandRunner runner;
    private final String address;
    private final List<Process> processes = new ArrayList<>();

    EchoServers(NetworkNamespace namespace, CommandRunner runner, String address) {
        this.namespace = namespace;
        this.runner = runner;
        this.address = address;
    }

    /** Long-lived TCP servers ({@code -k}: many clients); returns once every port listens. */
    void tcp(int... ports) throws Exception {
        for (int port : ports) {
            start("ncat", "-l", "-k", address, String.valueOf(port), "--sh-exec", "echo pong");
        }
        for (int port : ports) {
            awaitListening("-lntH", port);
        }
    }

    /** UDP servers are one-shot ({@code ncat -u -l} answers one peer), so each UDP probe gets a fresh one. */
    void udp(int port) throws Exception {
        start("ncat", "-u", "-l", address, String.valueOf(port), "--sh-exec", "echo pong");
        awaitListening("-lnuH", port);
    }

    private void start(String... argv) throws Exception {
        processes.add(namespace.start(new ProcessBuilder(argv).redirectErrorStream(true)));
    }

    private void awaitListening(String ssFlags, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (runner.run(List.of("ss", ssFlags)).stdout().contains(address + ":" + port + " ")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing listens on " + address + ":" + port + " in the server namespace");
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
