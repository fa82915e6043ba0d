package dev.weir.iptables.apply;

import dev.weir.model.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * Which iptables backend weir programs and why. {@link #detect} follows kube's iptables-wrapper and Felix: a hint chain
 * kubelet/kube-proxy leave in the mangle table ({@code KUBE-IPTABLES-HINT}, {@code KUBE-KUBELET-CANARY}) decides;
 * otherwise the backend showing more rules wins; a tie (a fresh node) means nft, the default of current distributions.
 */
public record BackendSelection(IptablesBackend backend, String reason) {

    private static final List<String> HINT_CHAINS = List.of(":KUBE-IPTABLES-HINT", ":KUBE-KUBELET-CANARY");

    public BackendSelection {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(reason, "reason");
    }

    /** The operator's choice ({@code --iptables-backend nft|legacy}). */
    public static BackendSelection forced(IptablesBackend backend) {
        return new BackendSelection(backend, "forced by configuration");
    }

    /** {@code auto} detects; {@code nft}/{@code legacy} force. */
    public static BackendSelection of(String mode, CommandRunner runner) {
        return "auto".equalsIgnoreCase(mode) ? detect(runner) : forced(IptablesBackend.parse(mode));
    }

    /** Looks at both backends' state (four {@code *-save} runs) and picks the one in use. */
    public static BackendSelection detect(CommandRunner runner) {
        Dump legacy = dump(runner, IptablesBackend.LEGACY);
        Dump nft = dump(runner, IptablesBackend.NFT);
        if (nft.hinted() && !legacy.hinted()) {
            return new BackendSelection(IptablesBackend.NFT, "auto: kubelet hint chain found in nft");
        }
        if (legacy.hinted() && !nft.hinted()) {
            return new BackendSelection(IptablesBackend.LEGACY, "auto: kubelet hint chain found in legacy");
        }
        String counts = "auto: " + nft.rules() + " nft rules vs " + legacy.rules() + " legacy rules";
        return legacy.rules() > nft.rules()
                ? new BackendSelection(IptablesBackend.LEGACY, counts)
                : new BackendSelection(IptablesBackend.NFT, counts);
    }

    private record Dump(long rules, boolean hinted) {
    }

    private static Dump dump(CommandRunner runner, IptablesBackend backend) {
        long rules = 0;
        boolean hinted = false;
        for (IpFamily family : IpFamily.values()) {
            CommandRunner.Result r;
            try {
                r = runner.run(List.of(backend.saveBinary(family)));
            } catch (ApplyException missingBinary) {
                continue;
            }
            if (!r.ok()) {
                continue;
            }
            for (String line : r.stdout().split("\n")) {
                if (line.startsWith("-A ")) {
                    rules++;
                } else if (HINT_CHAINS.stream().anyMatch(line::startsWith)) {
                    hinted = true;
                }
            }
        }
        return new Dump(rules, hinted);
    }

    @Override
    public String toString() {
        return "iptables backend " + backend.word() + " (" + reason + ")";
    }
}
