package dev.weir.iptables.apply;

import java.util.List;

/**
 * A dataplane command failed: which command, its exit code and what it printed on stderr. The kernel state is what the
 * command left (an {@code iptables-restore} failure leaves its table unchanged, since a restore commits atomically per
 * table); the applier forgets what it believed was installed, so the next apply re-reads the kernel.
 */
public final class ApplyException extends RuntimeException {

    private final List<String> command;
    private final int exitCode;
    private final String stderr;

    public ApplyException(List<String> command, int exitCode, String stderr, String message) {
        super(message);
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    static ApplyException of(CommandRunner.Result r) {
        String err = r.stderr().strip();
        return new ApplyException(r.argv(), r.exitCode(), r.stderr(),
                String.join(" ", r.argv()) + " exited " + r.exitCode() + (err.isEmpty() ? "" : ": " + err));
    }

    /** The failed command line. */
    public List<String> command() {
        return command;
    }

    /** Its exit code, or -1 when it could not be run at all. */
    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }
}
