package dev.weir.lab.cli;

import dev.weir.iptables.sys.LibC;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What the verbs share: the state directory option and the checks that a lab can run or is up. */
final class LabSupport {

    private LabSupport() {
    }

    /** {@code --state-dir}, mixed into every verb. */
    static final class StateDir {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "the lab's state (default: $WEIR_LAB_DIR, else /var/run/weir-lab)")
        String dir;

        StateStore store() {
            return StateStore.resolve(value());
        }

        Optional<String> value() {
            return Optional.ofNullable(dir);
        }
    }

    /** {@code -o text|json}, mixed into the verbs that print a table or its JSON. */
    static final class Output {
        @Option(names = "-o", paramLabel = "text|json", defaultValue = "text",
                description = "output format (default ${DEFAULT-VALUE})")
        String format;

        boolean json() {
            return "json".equals(format);
        }
    }

    static void requireRoot() {
        if (LibC.get().getuid() != 0) {
            throw new IllegalStateException("the lab creates network namespaces: run it as root (sudo ./weir lab ...)");
        }
    }

    /** The state of a lab that is up, or a clear error. */
    static LabState readyLab(StateStore store) {
        LabState s = store.read().orElseThrow(() -> new IllegalStateException(
                "no lab in " + store.dir() + " (weir lab up first, or --state-dir)"));
        if (!LabState.READY.equals(s.status())) {
            throw new IllegalStateException("the lab in " + store.dir() + " is " + s.status()
                    + (s.message() == null ? "" : ": " + s.message()));
        }
        if (!daemonAlive(s)) {
            throw new IllegalStateException("the lab daemon (pid " + s.daemonPid() + ") is not running; "
                    + "weir lab down, then up again");
        }
        return s;
    }

    static boolean daemonAlive(LabState s) {
        return ProcessHandle.of(s.daemonPid()).map(ProcessHandle::isAlive).orElse(false);
    }
}
