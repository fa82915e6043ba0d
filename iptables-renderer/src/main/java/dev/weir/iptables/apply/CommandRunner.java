package dev.weir.iptables.apply;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The one seam through which weir runs processes ({@code iptables-restore}, {@code ipset}, ...). The applier never
 * starts a process any other way, so tests swap in a recording fake ({@code RecordingCommandRunner}, in the test
 * sources) and the lab runs one runner per network namespace in a single JVM.
 */
public interface CommandRunner {

    /**
     * Runs {@code argv} to completion, feeding it {@code stdin} (null for none). A non-zero exit is a normal
     * {@link Result}, not an exception; only a failure to run at all (missing binary, timeout, interrupt) throws.
     */
    Result run(List<String> argv, String stdin);

    /** Runs without input. */
    default Result run(List<String> argv) {
        return run(argv, null);
    }

    /** What a finished process left behind. */
    record Result(List<String> argv, int exitCode, String stdout, String stderr, Duration duration) {

        public Result {
            argv = List.copyOf(argv);
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            Objects.requireNonNull(duration, "duration");
        }

        public boolean ok() {
            return exitCode == 0;
        }

        /** The result itself when the process succeeded; otherwise an {@link ApplyException} naming it. */
        public Result orThrow() {
            if (!ok()) {
                throw ApplyException.of(this);
            }
            return this;
        }
    }
}
