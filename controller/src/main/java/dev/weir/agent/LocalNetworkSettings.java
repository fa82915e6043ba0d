package dev.weir.agent;

import dev.weir.model.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the agent learns its own node's network (the flags of {@code docs/agent.md}, "Pod interfaces"):
 * {@code antiSpoofing} finds each local pod's host-side interface and binds the pod's traffic to it
 * ({@code --[no-]anti-spoofing}); {@code cniCacheDir} is libcni's result cache ({@code --cni-cache-dir});
 * {@code unprogrammedPods} says what happens to traffic of a local pod address weir has not programmed
 * ({@code --unprogrammed-pods}); {@code podCidrs} are the node's pod ranges, empty to read them from the Node object
 * ({@code --pod-cidrs}); {@code scanInterval} is how often routes and the cache are looked at for a pod's interface
 * coming or going ({@code --interface-scan-interval}).
 */
public record LocalNetworkSettings(boolean antiSpoofing, Path cniCacheDir, UnprogrammedPods unprogrammedPods,
        List<Cidr> podCidrs, Duration scanInterval) {

    public static final Path DEFAULT_CNI_CACHE_DIR = Path.of("/var/lib/cni/results");

    /** Traffic from or to an address of the node's pod CIDRs that no programmed pod holds. */
    public enum UnprogrammedPods {
        /** Let it through (judged by address alone, like any pod no policy selects). */
        ALLOW,
        /** Drop it (fail-closed): a new pod cannot talk until its rules are in. */
        DROP
    }

    public LocalNetworkSettings {
        Objects.requireNonNull(cniCacheDir, "cniCacheDir");
        Objects.requireNonNull(unprogrammedPods, "unprogrammedPods");
        podCidrs = List.copyOf(podCidrs);
        Objects.requireNonNull(scanInterval, "scanInterval");
        if (scanInterval.isNegative() || scanInterval.isZero()) {
            throw new IllegalArgumentException("scanInterval must be longer than 0, not " + scanInterval);
        }
    }

    public static LocalNetworkSettings defaults() {
        return new LocalNetworkSettings(true, DEFAULT_CNI_CACHE_DIR, UnprogrammedPods.ALLOW, List.of(),
                Duration.ofSeconds(1));
    }

    public LocalNetworkSettings withAntiSpoofing(boolean on) {
        return new LocalNetworkSettings(on, cniCacheDir, unprogrammedPods, podCidrs, scanInterval);
    }

    public LocalNetworkSettings withCniCacheDir(Path dir) {
        return new LocalNetworkSettings(antiSpoofing, dir, unprogrammedPods, podCidrs, scanInterval);
    }

    public LocalNetworkSettings withUnprogrammedPods(UnprogrammedPods u, List<Cidr> cidrs) {
        return new LocalNetworkSettings(antiSpoofing, cniCacheDir, u, cidrs, scanInterval);
    }

    public LocalNetworkSettings withScanInterval(Duration d) {
        return new LocalNetworkSettings(antiSpoofing, cniCacheDir, unprogrammedPods, podCidrs, d);
    }

    public boolean failClosed() {
        return unprogrammedPods == UnprogrammedPods.DROP;
    }
}
