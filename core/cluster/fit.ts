/**
 * Whether a pod's request fits in what a node has left (allocatable − requested), as kube's
 * NodeResourcesFit filter checks it (pkg/scheduler/framework/plugins/noderesources/fit.go,
 * v1.35): the pod count ("Too many pods") always; then, unless the pod requests nothing at all,
 * cpu, memory, ephemeral-storage, then every other resource it requests (extended resources,
 * hugepages) in name order, each failing with "Insufficient <name>". The scheduler's filter, the
 * kubelet's admission and the reducers' PodBound guard all ask it.
 */
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS, type ResourceList } from "../model/resources.js";

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
