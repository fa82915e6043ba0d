package dev.weir.agent;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The replaceable parts of an agent: how objects are translated, how a node's ruleset is rendered, the dataplane it
 * is applied to, where rejections are reported, and the clock. {@link NodeAgent#start} fills in the real ones; tests
 * pass fakes.
 */
public record AgentParts(ObjectTranslator translator, RulesetRenderer renderer, Dataplane dataplane,
        RejectionReporter reporter, LongSupplier ticker) {

    public AgentParts {
        Objects.requireNonNull(translator, "translator");
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(dataplane, "dataplane");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(ticker, "ticker");
    }

    public AgentParts withDataplane(Dataplane d) {
        return new AgentParts(translator, renderer, d, reporter, ticker);
    }

    public AgentParts withRenderer(RulesetRenderer r) {
        return new AgentParts(translator, r, dataplane, reporter, ticker);
    }

    public AgentParts withReporter(RejectionReporter r) {
        return new AgentParts(translator, renderer, dataplane, r, ticker);
    }
}
