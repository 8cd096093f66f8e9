/**
 * NodeResourcesFit's filter (pkg/scheduler/framework/plugins/noderesources/fit.go, v1.35): does
 * the pod's request fit in what the node has left (allocatable − requested)?
 *
 * Checks, in kube's order: the pod count ("Too many pods") always; then, unless the pod requests
 * nothing at all, cpu, memory, ephemeral-storage, then every other resource it requests
 * (extended resources, hugepages) in name order, each failing with "Insufficient <name>".
 * A node can fail several checks; every reason is reported. The check itself is shared
 * (cluster/fit.ts): the kubelet's admission and the reducers' PodBound guard ask it too.
 */
import type { ResourceList } from "../../../model/resources.js";
import { insufficientResources, type NodeUsage } from "../../../cluster/fit.js";

export { TOO_MANY_PODS, insufficientResources, type InsufficientResource, type NodeUsage } from "../../../cluster/fit.js";

export const NODE_RESOURCES_FIT = "NodeResourcesFit";

/** Whether the pod could fit on this node were it empty (the queueing hint for a node that joined). */
export function fitsEmptyNode(request: ResourceList, allocatable: ResourceList): boolean {
  return insufficientResources(request, { allocatable, requested: {}, podCount: 0 }).length === 0;
}

/**
 * The kubelet's admission verdict for a pod bound by `spec.nodeName`: only the first failure
 * counts (predicate.go), e.g. reason `OutOfcpu`, message
 * `Pod was rejected: Node didn't have enough resource: cpu, requested: 750, used: 500, capacity: 1000`.
 */
export function kubeletAdmission(request: ResourceList, node: NodeUsage): { reason: string; message: string } | undefined {
  const first = insufficientResources(request, node)[0];
  if (first === undefined) return undefined;
  return {
    reason: `OutOf${first.resourceName}`,
    message: `Pod was rejected: Node didn't have enough resource: ${first.resourceName}, requested: ${first.requested}, used: ${first.used}, capacity: ${first.capacity}`,
  };
}
