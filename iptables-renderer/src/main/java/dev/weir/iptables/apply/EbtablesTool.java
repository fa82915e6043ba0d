package dev.weir.iptables.apply;

import java.util.List;
import java.util.Objects;

/**
 * The ebtables binaries that program the bridge table: {@code ebtables-nft} or {@code ebtables-legacy} to
 * match the iptables backend in use (they keep separate rule stores, like iptables), else plain {@code ebtables}
 * (whatever the node's alternatives point it at). Debian ships {@code ebtables-nft} in its {@code iptables} package;
 * {@code ebtables-legacy} comes with the {@code ebtables} package.
 */
record EbtablesTool(String binary) {

    EbtablesTool {
        Objects.requireNonNull(binary, "binary");
    }

    /** The binaries to try, in order, for a node on {@code backend}. */
    static List<EbtablesTool> candidates(IptablesBackend backend) {
        return List.of(new EbtablesTool("ebtables-" + backend.word()), new EbtablesTool("ebtables"));
    }

    /** {@code ebtables-nft-save}: every table, without counters; only {@code *nat} is read. */
    List<String> save() {
        return List.of(binary + "-save");
    }

    /** {@code ebtables-nft-restore --noflush}: one atomic transaction that leaves unnamed chains alone. */
    List<String> restoreNoflush() {
        return List.of(binary + "-restore", "--noflush");
    }
}
