package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AppliedRulesetListener#all}: each listener is told in turn, isolated from the others' failures. */
final class EveryListener implements AppliedRulesetListener {

    private static final Logger LOG = LoggerFactory.getLogger(EveryListener.class);

    private final List<AppliedRulesetListener> listeners;

    EveryListener(List<AppliedRulesetListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void applied(AppliedSync applied) {
        for (AppliedRulesetListener l : listeners) {
            try {
                l.applied(applied);
            } catch (RuntimeException e) {
                LOG.warn("{} could not take the applied ruleset: {}", l, e.toString(), e);
            }
        }
    }

    @Override
    public void applying(PolicyGraph graph, Ruleset ruleset) {
        for (AppliedRulesetListener l : listeners) {
            try {
                l.applying(graph, ruleset);
            } catch (RuntimeException e) {
                LOG.warn("{} could not take the ruleset being applied: {}", l, e.toString(), e);
            }
        }
    }

    @Override
    public void failed(String error) {
        for (AppliedRulesetListener l : listeners) {
            try {
                l.failed(error);
            } catch (RuntimeException e) {
                LOG.warn("{} could not take the failed sync: {}", l, e.toString(), e);
            }
        }
    }
}
