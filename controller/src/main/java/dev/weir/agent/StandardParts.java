package dev.weir.agent;

import dev.weir.agent.denials.DeniedPacketSource;
import dev.weir.agent.local.CniResultCache;
import dev.weir.agent.local.HostInterfaceDiscovery;
import dev.weir.agent.local.InterfaceDiscovery;
import dev.weir.iptables.apply.ApplyReport;
import dev.weir.graph.FlowRevocation;
import dev.weir.graph.GraphDelta;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.TrackedFlow;
import dev.weir.iptables.apply.BackendSelection;
import dev.weir.iptables.apply.ConntrackTable;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.render.SetMemo;
import dev.weir.iptables.sys.NetworkNamespace;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production parts: {@code ModelTranslator}, no rejection reporter (the controller writes the Events), {@link IptablesRenderer} with the marks of {@code --mark-mask} and the
 * denial log's NFLOG rules ({@link AgentConfig#renderOptions}), a {@link DataplaneApplier} whose processes run inside
 * the agent's network namespace, on the backend chosen by {@code --iptables-backend} (auto-detected by default, logged
 * once), pod interface discovery reading that same namespace's routes and devices and the CNI cache
 * ({@code --cni-cache-dir}), unless anti-spoofing is off, and an NFLOG reader of the denial log's group in that
 * namespace.
 */
final class StandardParts {

    private static final Logger LOG = LoggerFactory.getLogger(StandardParts.class);

    private StandardParts() {
    }

    static AgentParts create(AgentConfig config, NetworkNamespace netns) {
        NamespaceCommandRunner runner = new NamespaceCommandRunner(netns);
        BackendSelection backend = BackendSelection.of(config.iptablesBackend().name().toLowerCase(Locale.ROOT),
                runner);
        LOG.info("node {}: {} in network namespace {}", config.node(), backend, netns);
        BridgeNetfilterCheck bridge = BridgeNetfilterCheck.read(netns);
        if (bridge.ok()) {
            LOG.info("node {}: {}", config.node(), bridge.message());
        } else {
            LOG.warn("node {}: {}", config.node(), bridge.message());
        }
        InterfaceDiscovery interfaces = config.localNetwork().antiSpoofing()
                ? new HostInterfaceDiscovery(runner, new CniResultCache(config.localNetwork().cniCacheDir()))
                : InterfaceDiscovery.NONE;
        return new AgentParts(ObjectTranslator.standard(), new MemoizedRenderer(config.renderOptions()),
                new ApplierDataplane(new DataplaneApplier(runner, backend.backend()),
                        config.revokeDeniedFlows() ? new ConntrackTable(runner, netns) : null),
                RejectionReporter.NONE, System::nanoTime, interfaces,
                DeniedPacketSource.in(netns));
    }

    /**
     * The iptables renderer with the agent's {@link SetMemo}: the sync thread renders one node after each batch, and
     * peer sets whose groups did not change are reused, those whose did are patched from the events' deltas.
     */
    static final class MemoizedRenderer implements RulesetRenderer {
        private final RenderOptions options;
        private final SetMemo sets = new SetMemo();

        MemoizedRenderer(RenderOptions options) {
            this.options = options;
        }

        @Override
        public Ruleset render(PolicyGraph graph, String node, LocalNetwork localNetwork) {
            return IptablesRenderer.render(graph, node, options, localNetwork, sets);
        }

        @Override
        public void graphChanged(GraphDelta delta) {
            sets.changed(delta);
        }
    }

    /** The agent's dataplane seam over the applier; {@code conntrack} is null when revocation is off. */
    record ApplierDataplane(DataplaneApplier applier, ConntrackTable conntrack) implements Dataplane {

        @Override
        public ApplyResult apply(Ruleset desired) {
            ApplyReport r = applier.apply(desired);
            return new ApplyResult(!r.isNoop(), r.summary());
        }

        @Override
        public Revocation revoke(PolicyGraph graph, String node) {
            if (conntrack == null) {
                return Revocation.NONE;
            }
            List<TrackedFlow> tracked = conntrack.list();
            int deleted = conntrack.deleteAll(FlowRevocation.denied(graph, node, tracked));
            return new Revocation(tracked.size(), deleted);
        }

        @Override
        public DriftReport check(Ruleset desired) {
            dev.weir.iptables.apply.DriftReport d = applier.checkDrift(desired);
            return d.isClean() ? DriftReport.none() : new DriftReport(List.of(d.toString()));
        }
    }
}
