/**
 * NodeResourcesFit's filter (pkg/scheduler/framework/plugins/noderesources/fit.go, v1.35): does
 * the pod's request fit in what the node has left (allocatable − requested)?
 *
 * Checks, in kube's order: the pod count ("Too many pods") always; then, unless the pod requests
 * nothing at all, cpu, memory, ephemeral-storage, then every other resource it requests
 * (extended resources, hugepages) in name order, each failing with "Insufficient <name>".
 * A node can fail several checks; every reason is reported.
 */
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS, type ResourceList } from "../../../model/resources.js";

export const NODE_RESOURCES_FIT = "NodeResourcesFit";
export const TOO_MANY_PODS = "Too many pods";

/** What a node has for this check: its allocatable, what its pods request, how many pods it runs. */
export interface NodeUsage {
  readonly allocatable: ResourceList;
  readonly requested: ResourceList;
  readonly podCount: number;
}

/** One failed check, with the figures the kubelet puts in its admission message. */
export interface InsufficientResource {
  readonly resourceName: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The request exceeds the node's whole allocatable: no preemption can help (UnschedulableAndUnresolvable). */
  readonly unresolvable: boolean;
}

const FIRST_CHECKED = [CPU, MEMORY, EPHEMERAL_STORAGE];

/** Every failed check for `request` on `node`, in kube's order; empty if it fits. */
export function insufficientResources(request: ResourceList, node: NodeUsage): InsufficientResource[] {
  const failures: InsufficientResource[] = [];
  const allowedPods = node.allocatable[PODS] ?? 0;
  if (node.podCount + 1 > allowedPods) {
    // fit.go sets no Unresolvable here, even for a node that allows no pods.
    failures.push({ resourceName: PODS, reason: TOO_MANY_PODS, requested: 1, used: node.podCount, capacity: allowedPods, unresolvable: false });
  }
  for (const name of FIRST_CHECKED) checkResource(failures, request, node, name);
  // Then the other resources by name (most pods request none: no list is built for them).
  let others: string[] | undefined;
  for (const name in request) if (name !== PODS && name !== CPU && name !== MEMORY && name !== EPHEMERAL_STORAGE) (others ??= []).push(name);
  if (others !== undefined) for (const name of others.sort()) checkResource(failures, request, node, name);
  return failures;
}

function checkResource(failures: InsufficientResource[], request: ResourceList, node: NodeUsage, name: string): void {
  const amount = request[name] ?? 0;
  if (amount <= 0) return;
  const allocatable = node.allocatable[name] ?? 0;
  const used = node.requested[name] ?? 0;
  if (amount > allocatable - used) {
    failures.push({ resourceName: name, reason: `Insufficient ${name}`, requested: amount, used, capacity: allocatable, unresolvable: amount > allocatable });
  }
}

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
