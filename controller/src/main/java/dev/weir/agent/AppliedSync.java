package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.ObjectKey;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a successful sync left in force: the ruleset in the kernel, the graph it was rendered from, the object version
 * of each policy in that graph ({@link ClusterState#policyVersions()}) and the policies left out as invalid. All
 * immutable, and the same instances while nothing changes, so a listener on another thread may keep them.
 */
public record AppliedSync(PolicyGraph graph, Ruleset ruleset, SortedMap<ObjectKey, PolicyVersion> policyVersions,
        SortedMap<ObjectKey, Rejection> rejections) {

    /** As above; {@code rejections} is copied (the cluster state's map changes with the next sync). */
    public AppliedSync(PolicyGraph graph, Ruleset ruleset, SortedMap<ObjectKey, PolicyVersion> policyVersions,
            java.util.Map<ObjectKey, Rejection> rejections) {
        this(graph, ruleset, policyVersions, new TreeMap<>(rejections));
    }

    public AppliedSync {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(ruleset, "ruleset");
        policyVersions = Collections.unmodifiableSortedMap(policyVersions);
        rejections = Collections.unmodifiableSortedMap(new TreeMap<>(rejections));
    }
}
