/**
 * Cluster-scoped admin policy: {@code policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy} as pure records.
 *
 * <p>Evaluation order (per direction, ingress at the destination pod and egress at the source pod independently):
 * Admin-tier rules in {@link dev.weir.model.admin.RulePosition} order, where the first matching rule decides: Accept
 * allows, Deny drops, Pass skips the rest of the Admin tier; then NetworkPolicy (only for pods a NetworkPolicy selects
 * in that direction); then Baseline-tier rules in the same order (Pass there ends the Baseline tier); then the default,
 * allow. See {@code docs/cluster-network-policy.md}.
 */
package dev.weir.model.admin;
