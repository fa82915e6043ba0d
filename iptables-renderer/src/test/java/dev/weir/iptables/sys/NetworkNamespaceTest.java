package dev.weir.iptables.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** setns into a throwaway namespace ({@code wrb-*}): what runs there sees that namespace and only that one. */
class NetworkNamespaceTest {

    private final String name = "wrb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff))
            + "-ns";
    private boolean created;

    @BeforeEach
    void create() throws Exception {
        assumeTrue(LibC.get().getuid() == 0, "setns tests need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "setns tests need iproute2");
        sh("ip", "netns", "add", name);
        created = true;
        sh("ip", "-n", name, "link", "set", "lo", "up");
    }

    @AfterEach
    void delete() throws Exception {
        if (created) {
            sh("ip", "netns", "del", name);
        }
    }

    private static String sh(String... argv) throws Exception {
        return run(new ProcessBuilder(argv).start());
    }

    private static String run(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit of %s", p.info().commandLine().orElse("?")).isZero();
        return out;
    }

    @Test
    void aProcessStartedInTheNamespaceSeesItsMarkerChain() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables-nft"))
                || Files.isExecutable(Path.of("/sbin/iptables-nft")), "this setns test marks the namespace with a chain and needs iptables-nft (Debian package iptables)");
        sh("ip", "netns", "exec", name, "iptables-nft", "-w", "-N", "WRB-MARK");
        try (NetworkNamespace ns = NetworkNamespace.named(name)) {
            String inside = run(ns.start(new ProcessBuilder("iptables-nft", "-w", "-S")));
            String insideInode = run(ns.start(new ProcessBuilder("readlink", "/proc/self/ns/net")));
            String hostInode = run(NetworkNamespace.host().start(new ProcessBuilder("readlink", "/proc/self/ns/net")));

            assertThat(inside).contains("-N WRB-MARK");
            assertThat(insideInode).isNotEqualTo(hostInode);
            assertThat(insideInode.strip()).isEqualTo("net:[" + Files.getAttribute(Path.of("/run/netns", name),
                    "unix:ino") + "]");
        }
    }

    @Test
    void aSocketBoundInTheNamespaceIsReachableThereAndNotFromTheHost() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.named(name);
                ServerSocket server = ns.call(() -> new ServerSocket(0, 5, InetAddress.getLoopbackAddress()))) {
            int port = server.getLocalPort();
            boolean inside = ns.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    return true;
                }
            });
            assertThat(inside).isTrue();
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                }
            }).as("connect from the host to 127.0.0.1:%d", port).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theNamespaceThreadStaysInsideAcrossCalls() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.named(name)) {
            String first = ns.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            String second = ns.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            String host = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();

            assertThat(second).isEqualTo(first).isNotEqualTo(host);
        }
    }

    @Test
    void aMissingNamespaceIsRejectedByName() {
        assertThatThrownBy(() -> NetworkNamespace.named(name + "-absent"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name + "-absent");
    }

    @Test
    void workThatThrowsInsideSurfacesItsOwnException() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.named(name)) {
            assertThatThrownBy(() -> ns.call(() -> {
                throw new IOException("boom");
            })).isInstanceOf(IOException.class).hasMessage("boom");
            assertThat(ns.call(() -> List.of(1))).containsExactly(1);
        }
    }
}
