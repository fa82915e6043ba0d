package dev.weir.agent;

import dev.weir.agent.local.InterfaceDiscovery;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The replaceable parts of an agent: how objects are translated, how a node's ruleset is rendered, the dataplane it
 * is applied to, where rejections are reported, the clock, and how local pods' interfaces are found.
 * {@link NodeAgent#start} fills in the real ones; tests pass fakes.
 */
public record AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
        RejectionReporter reporter, LongSupplier ticker, InterfaceDiscovery interfaces) {

    /** Parts that find no pod interface ({@link InterfaceDiscovery#NONE}). */
    public AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, LongSupplier ticker) {
        this(translator, renderer, dataplane, reporter, ticker, InterfaceDiscovery.NONE);
    }

    public AgentParts {
        Objects.requireNonNull(translator, "translator");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(dataplane, "dataplane");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(interfaces, "interfaces");
    }

    public AgentParts withDataplane(Dataplane d) {
        return new AgentParts(translator, renderer, d, reporter, ticker, interfaces);
    }

    public AgentParts withRenderer(RulesetRenderer r) {
        return new AgentParts(translator, r, dataplane, reporter, ticker, interfaces);
    }

    public AgentParts withReporter(RejectionReporter r) {
        return new AgentParts(translator, renderer, dataplane, r, ticker, interfaces);
    }

    public AgentParts withInterfaces(InterfaceDiscovery i) {
        return new AgentParts(translator, renderer, dataplane, reporter, ticker, i);
    }
}
