package dev.weir.iptables.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that work can be run inside. A network namespace belongs to a thread, not a process, so each
 * instance owns one dedicated platform thread that enters the namespace once ({@code setns(2)}) and stays there:
 * sockets it opens and processes it starts live in that namespace. Never run this on a virtual thread (it would move
 * the carrier). {@link #host()} runs work in the caller's own namespace without a thread switch.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final NetworkNamespace HOST = new NetworkNamespace();

    private final Path path;
    private final ExecutorService thread;

    private NetworkNamespace() {
        this.path = null;
        this.thread = null;
    }

    private NetworkNamespace(Path path) {
        this.path = path;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + path.getFileName());
            t.setDaemon(true);
            return t;
        });
        try {
            thread.submit(() -> enter(path)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
            throw new IllegalStateException("interrupted entering " + path, e);
        } catch (ExecutionException e) {
            thread.shutdownNow();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** The namespace of the calling process (no setns, work runs on the caller's thread). */
    public static NetworkNamespace host() {
        return HOST;
    }

    /** A namespace by name as {@code ip netns add NAME} creates it ({@code /run/netns/NAME}). */
    public static NetworkNamespace named(String name) {
        return open(Path.of("/run/netns", name));
    }

    /** A namespace by its file ({@code /run/netns/x} or {@code /proc/PID/ns/net}). */
    public static NetworkNamespace open(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no network namespace at " + path);
        }
        return new NetworkNamespace(path);
    }

    private static Void enter(Path path) {
        LibC libc = LibC.get();
        int fd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            int err = LibC.errno();
            throw new IllegalStateException("open " + path + ": " + libc.strerror(err));
        }
        try {
            if (libc.setns(fd, LibC.CLONE_NEWNET) != 0) {
                int err = LibC.errno();
                throw new IllegalStateException("setns " + path + ": " + libc.strerror(err));
            }
        } finally {
            libc.close(fd);
        }
        return null;
    }

    public boolean isHost() {
        return path == null;
    }

    /** Where this namespace lives, or null for the host. */
    public Path path() {
        return path;
    }

    /** Runs {@code work} inside the namespace and waits for it. */
    public <T> T call(Callable<T> work) throws Exception {
        if (thread == null) {
            return work.call();
        }
        Future<T> f = thread.submit(work);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Starts {@code command} inside the namespace (the child inherits the namespace of the thread that forks it). */
    public Process start(ProcessBuilder command) throws Exception {
        return call(command::start);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return path == null ? "host" : path.toString();
    }
}
