package dev.weir.k8s.admin;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectRef;
import dev.weir.model.admin.ClusterPolicy;
import java.util.List;
import java.util.Objects;

/** What one ClusterNetworkPolicy object became. */
public sealed interface ClusterPolicyTranslation {

    ObjectRef object();

    /** Every diagnostic: the errors of a rejected object, the warnings of an accepted one. */
    List<Diagnostic> diagnostics();

    /**
     * The object is valid and enforced as {@code policy}. {@code warnings} name the parts weir enforces
     * differently from what was written (fail-closed peers, unusable named ports); the policy already reflects them.
     */
    record Accepted(ClusterPolicy policy, List<Diagnostic> warnings) implements ClusterPolicyTranslation {
        public Accepted {
            Objects.requireNonNull(policy, "policy");
            warnings = warnings.stream().sorted().toList();
        }

        @Override
        public ObjectRef object() {
            return policy.ref();
        }

        @Override
        public List<Diagnostic> diagnostics() {
            return warnings;
        }
    }

    /**
     * The object breaks the API's validation (something the API server would have refused with the CRD installed,
     * so this comes from files or a CRD of another shape): it is left out whole, and {@code errors} say why.
     */
    record Rejected(ObjectRef object, List<Diagnostic> errors) implements ClusterPolicyTranslation {
        public Rejected {
            Objects.requireNonNull(object, "object");
            errors = errors.stream().sorted().toList();
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejected object must say why (no errors given)");
            }
        }

        @Override
        public List<Diagnostic> diagnostics() {
            return errors;
        }
    }
}
