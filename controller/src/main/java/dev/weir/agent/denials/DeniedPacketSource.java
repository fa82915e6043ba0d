package dev.weir.agent.denials;

import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.sys.NetworkNamespace;
import java.util.function.Consumer;

/**
 * How the agent reads the packets its NFLOG rules log: an {@link NflogReader} on the group in the node's network
 * namespace ({@link #in}), or nothing ({@link #NONE}: tests whose dataplane is a fake).
 */
@FunctionalInterface
public interface DeniedPacketSource {

    DeniedPacketSource NONE = (group, consumer) -> null;

    /** Starts reading {@code group} into {@code consumer}; null when this source reads nothing. */
    NflogReader start(int group, Consumer<NflogPacket> consumer) throws Exception;

    /**
     * A reader whose sockets are in {@code netns}: its thread is started from inside the namespace, so the thread and
     * every socket it opens are in it (docs/denials.md, "Which namespace").
     */
    static DeniedPacketSource in(NetworkNamespace netns) {
        return (group, consumer) -> netns.call(() -> NflogReader.start(NflogConfig.of(group), consumer));
    }
}
