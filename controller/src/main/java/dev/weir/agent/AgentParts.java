package dev.weir.agent;

import dev.weir.agent.denials.DeniedPacketSource;
import dev.weir.agent.local.InterfaceDiscovery;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The replaceable parts of an agent: how objects are translated, how a node's ruleset is rendered, the dataplane it
 * is applied to, where rejections are reported, the clock, how local pods' interfaces are found, and how the packets
 * the NFLOG rules log are read. {@link NodeAgent#start} fills in the real ones; tests pass fakes.
 */
public record AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
        RejectionReporter reporter, LongSupplier ticker, InterfaceDiscovery interfaces,
        DeniedPacketSource deniedPackets) {

    /** Parts that find no pod interface ({@link InterfaceDiscovery#NONE}). */
    public AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, LongSupplier ticker) {
        this(translator, renderer, dataplane, reporter, ticker, InterfaceDiscovery.NONE);
    }

    /** Parts that read no logged packets ({@link DeniedPacketSource#NONE}). */
    public AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, LongSupplier ticker, InterfaceDiscovery interfaces) {
        this(translator, renderer, dataplane, reporter, ticker, interfaces, DeniedPacketSource.NONE);
    }

    public AgentParts {
        Objects.requireNonNull(translator, "translator");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(dataplane, "dataplane");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(deniedPackets, "deniedPackets");
    }

    public AgentParts withDataplane(Dataplane d) {
        return new AgentParts(translator, renderer, d, reporter, ticker, interfaces, deniedPackets);
    }

    public AgentParts withRenderer(RulesetRenderer r) {
        return new AgentParts(translator, r, dataplane, reporter, ticker, interfaces, deniedPackets);
    }

    public AgentParts withReporter(RejectionReporter r) {
        return new AgentParts(translator, renderer, dataplane, r, ticker, interfaces, deniedPackets);
    }

    public AgentParts withInterfaces(InterfaceDiscovery i) {
        return new AgentParts(translator, renderer, dataplane, reporter, ticker, i, deniedPackets);
    }

    public AgentParts withDeniedPackets(DeniedPacketSource source) {
        return new AgentParts(translator, renderer, dataplane, reporter, ticker, interfaces, source);
    }
}
