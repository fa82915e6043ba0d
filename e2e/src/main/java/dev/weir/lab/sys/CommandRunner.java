package dev.weir.lab.sys;

import java.util.List;

/** Runs a program to completion: the one way lab code touches {@code ip}, {@code sysctl} and friends. */
public interface CommandRunner {

    Result run(List<String> argv, String stdin);

    /** Runs and throws, naming the command and its stderr, when it exits non-zero. */
    default Result check(List<String> argv, String stdin) {
        Result r = run(argv, stdin);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): "
                    + (r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip()));
        }
        return r;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}
