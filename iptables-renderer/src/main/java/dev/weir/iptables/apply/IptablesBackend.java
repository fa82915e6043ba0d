package dev.weir.iptables.apply;

import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Locale;

/**
 * The two iptables implementations a node may use. They keep separate rule stores (nf_tables vs the legacy x_tables
 * blobs), so weir must program the one the node's other components (kube-proxy, flannel, the CNI) use; mixing both in
 * one namespace makes packets traverse two independent rule sets.
 */
public enum IptablesBackend {
    NFT, LEGACY;

    /** As spelled in binary names and flags: {@code nft} or {@code legacy}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code iptables-nft-restore} / {@code ip6tables-legacy-restore} ... */
    public String restoreBinary(IpFamily family) {
        return prefix(family) + "-" + word() + "-restore";
    }

    public String saveBinary(IpFamily family) {
        return prefix(family) + "-" + word() + "-save";
    }

    /** {@code iptables-restore --noflush --wait}: the form weir always uses, never a full-table flush. */
    public List<String> restoreNoflush(IpFamily family) {
        return List.of(restoreBinary(family), "--noflush", "--wait");
    }

    /** Saves the filter table only (the only table weir writes). */
    public List<String> saveFilter(IpFamily family) {
        return List.of(saveBinary(family), "-t", "filter");
    }

    /** Parses {@code nft} / {@code legacy} (the override flag's values). */
    public static IptablesBackend parse(String word) {
        for (IptablesBackend b : values()) {
            if (b.word().equalsIgnoreCase(word)) {
                return b;
            }
        }
        throw new IllegalArgumentException("iptables backend must be nft or legacy, not \"" + word + "\"");
    }

    private static String prefix(IpFamily family) {
        return family == IpFamily.V4 ? "iptables" : "ip6tables";
    }
}
