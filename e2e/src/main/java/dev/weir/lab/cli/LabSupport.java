package dev.weir.lab.cli;

import dev.weir.iptables.sys.LibC;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;

/** Checks shared by the verbs. */
final class LabSupport {

    private LabSupport() {
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
