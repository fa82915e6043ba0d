package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link AppliedRulesetListener#all}: every listener hears each call, whatever another one throws. */
class EveryListenerTest {

    private final List<String> heard = new ArrayList<>();

    private AppliedRulesetListener listener(String name, boolean throwing) {
        return new AppliedRulesetListener() {
            @Override
            public void applied(AppliedSync applied) {
                hear(name + " applied");
            }

            @Override
            public void applying(PolicyGraph graph, Ruleset ruleset) {
                hear(name + " applying");
            }

            @Override
            public void failed(String error) {
                hear(name + " failed " + error);
            }

            private void hear(String what) {
                heard.add(what);
                if (throwing) {
                    throw new IllegalStateException(name + " broke");
                }
            }
        };
    }

    @Test
    void eachListenerIsToldOfEveryCallAndOneThatThrowsKeepsNoOtherFromIt() {
        AppliedRulesetListener all = AppliedRulesetListener.all(List.of(listener("a", true), listener("b", false)));
        PolicyGraph graph = PolicyCompiler.compile(new ClusterSnapshot(List.of(), List.of(), List.of()));
        Ruleset ruleset = new Ruleset("n1", List.of(), new FamilyRuleset(IpFamily.V4, List.of(), List.of()),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()), BridgeRuleset.EMPTY, new TreeMap<>());

        all.applying(graph, ruleset);
        all.applied(new AppliedSync(graph, ruleset, new TreeMap<>(), java.util.Map.of()));
        all.failed("boom");

        assertThat(heard).containsExactly("a applying", "b applying", "a applied", "b applied", "a failed boom",
                "b failed boom");
    }
}
