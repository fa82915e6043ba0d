package dev.weir.chart;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs calls into helm-java's native (Go) library with a hard timeout.
 *
 * <p>A thread blocked inside the native library cannot be interrupted, and a JVM stuck that way ignores SIGTERM
 * (TOOLCHAIN.md §3). So every call runs on a daemon thread; the test fails after the timeout, and once one call has
 * hung, later calls fail at once instead of queueing behind it. Surefire's fork timeouts end the JVM.
 */
final class NativeHelm {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final NativeHelm SHARED = new NativeHelm(TIMEOUT);

    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(work -> {
        var daemon = new Thread(work, "helm-native");
        daemon.setDaemon(true);
        return daemon;
    });
    private volatile String wedgedBy;

    NativeHelm(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs work on the one thread that talks to the helm library, bounded by {@link #TIMEOUT}. */
    static <T> T call(String what, Callable<T> work) {
        return SHARED.run(what, work);
    }

    <T> T run(String what, Callable<T> work) {
        if (wedgedBy != null) {
            return fail("helm native library is blocked since '%s' timed out; not calling it for '%s'", wedgedBy, what);
        }
        Future<T> result = thread.submit(work);
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            wedgedBy = what;
            result.cancel(true);
            return fail("helm '%s' did not return within %s", what, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("helm '" + what + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for helm '" + what + "'", e);
        }
    }
}
