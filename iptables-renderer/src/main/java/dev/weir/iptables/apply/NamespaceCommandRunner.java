package dev.weir.iptables.apply;

import dev.weir.iptables.sys.NetworkNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as real processes forked inside a {@link NetworkNamespace} (the host's, or a named one: the lab runs
 * one runner per node namespace in one JVM). Only the fork happens on the namespace's thread; pumping stdin, stdout and
 * stderr happens on a small pool so a large restore payload and a large save output cannot deadlock each other.
 */
public final class NamespaceCommandRunner implements CommandRunner, AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final NetworkNamespace namespace;
    private final Duration timeout;
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "weir-cmd-io");
        t.setDaemon(true);
        return t;
    });

    public NamespaceCommandRunner(NetworkNamespace namespace, Duration timeout) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public NamespaceCommandRunner(NetworkNamespace namespace) {
        this(namespace, DEFAULT_TIMEOUT);
    }

    /** Runs in the caller's own network namespace. */
    public static NamespaceCommandRunner host() {
        return new NamespaceCommandRunner(NetworkNamespace.host());
    }

    public NetworkNamespace namespace() {
        return namespace;
    }

    @Override
    public Result run(List<String> argv, String stdin) {
        long start = System.nanoTime();
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            p = namespace.start(pb);
        } catch (Exception e) {
            throw new ApplyException(argv, -1, e.toString(), "cannot run " + String.join(" ", argv) + ": " + e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), pumps);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), pumps);
        try {
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process exited before reading everything; its exit code and stderr tell why
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ApplyException(argv, -1, "", String.join(" ", argv) + " timed out after " + timeout);
            }
            String o = out.get(5, TimeUnit.SECONDS);
            String e = err.get(5, TimeUnit.SECONDS);
            return new Result(argv, p.exitValue(), o, e, Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ApplyException(argv, -1, "", "interrupted running " + String.join(" ", argv));
        } catch (ExecutionException | TimeoutException e) {
            throw new ApplyException(argv, -1, "", "cannot read output of " + String.join(" ", argv) + ": " + e);
        }
    }

    private static String drain(InputStream s) {
        try (s) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            s.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
    }

    @Override
    public String toString() {
        return "commands in netns " + namespace;
    }
}
