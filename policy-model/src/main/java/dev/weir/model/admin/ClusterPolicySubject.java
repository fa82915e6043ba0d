package dev.weir.model.admin;

import dev.weir.model.LabelSelector;
import java.util.Map;
import java.util.Objects;

/**
 * {@code spec.subject}: the pods a ClusterNetworkPolicy applies to. Host-network pods are never subjects (the API
 * says so); callers test only policy endpoints.
 */
public sealed interface ClusterPolicySubject {

    /** Whether a pod with {@code podLabels} in a namespace with {@code namespaceLabels} is a subject. */
    boolean selects(Map<String, String> namespaceLabels, Map<String, String> podLabels);

    /** {@code subject.namespaces}: every pod of the selected namespaces. */
    record Namespaces(LabelSelector namespaceSelector) implements ClusterPolicySubject {
        public Namespaces {
            Objects.requireNonNull(namespaceSelector, "namespaceSelector");
        }

        @Override
        public boolean selects(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
            return namespaceSelector.matches(namespaceLabels);
        }

        @Override
        public String toString() {
            return "namespaces(" + namespaceSelector + ")";
        }
    }

    /** {@code subject.pods}: pods matching the pod selector in namespaces matching the namespace selector. */
    record Pods(LabelSelector namespaceSelector, LabelSelector podSelector)
            implements ClusterPolicySubject {
        public Pods {
            Objects.requireNonNull(namespaceSelector, "namespaceSelector (use LabelSelector.all())");
            Objects.requireNonNull(podSelector, "podSelector (use LabelSelector.all())");
        }

        @Override
        public boolean selects(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
            return namespaceSelector.matches(namespaceLabels) && podSelector.matches(podLabels);
        }

        @Override
        public String toString() {
            return "pods(" + namespaceSelector + " / " + podSelector + ")";
        }
    }
}
