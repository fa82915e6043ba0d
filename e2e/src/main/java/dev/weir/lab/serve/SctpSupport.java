package dev.weir.lab.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this kernel speaks SCTP. Some kernels are built without it (socket(2) answers EPROTONOSUPPORT); then the lab
 * serves no SCTP and probes it with raw INIT packets ({@code dev.weir.iptables.sys.RawSctp}), and says so.
 */
public final class SctpSupport {

    private SctpSupport() {
    }

    /** Empty when SCTP works, else the reason it does not. */
    public static Optional<String> missing() {
        if (registered()) {
            return Optional.empty();
        }
        try {
            new ProcessBuilder("modprobe", "sctp").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no modprobe: the check below says what matters
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (registered()) {
            return Optional.empty();
        }
        return Optional.of("this kernel has no SCTP (not in /proc/net/protocols, modprobe sctp failed): "
                + "SCTP is not served; probes send raw SCTP INIT packets and count one as allowed when it arrives");
    }

    private static boolean registered() {
        try {
            return Files.readAllLines(Path.of("/proc/net/protocols")).stream().anyMatch(l -> l.startsWith("SCTP "));
        } catch (IOException e) {
            return false;
        }
    }
}
