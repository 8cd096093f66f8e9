/**
 * The laws every reachable state obeys, checked the slow way (kube-scheduler's cache keeps its
 * aggregates incrementally and has a "rebuild and compare" check; this is ours). Returns the
 * broken laws as sentences; an empty list means the state is sound.
 */
import { addResources, normalizeResources, sameResources, type ResourceList } from "../model/resources.js";
import { nonZeroRequest } from "../model/requests.js";
import type { ClusterState, NodeState, PodState } from "./state.js";

export function checkInvariants(state: ClusterState): string[] {
  const broken: string[] = [];
  const rebuilt = new Map<string, { requested: ResourceList; nonZero: { cpu: number; memory: number }; pods: string[] }>();

  for (const [key, pod] of Object.entries(state.pods)) {
    const where = `pod ${key}`;
    if (`${pod.pod.namespace}/${pod.pod.name}` !== key) broken.push(`${where} is stored under the wrong key`);
    if (pod.holdsResources) {
      if (pod.node === undefined || state.nodes[pod.node] === undefined) {
        broken.push(`${where} holds resources on a node that does not exist (${String(pod.node)})`);
        continue;
      }
      const entry = rebuilt.get(pod.node) ?? { requested: {}, nonZero: { cpu: 0, memory: 0 }, pods: [] };
      entry.requested = addResources(entry.requested, pod.request);
      const nonZero = nonZeroRequest(pod.pod, pod.request);
      entry.nonZero = { cpu: entry.nonZero.cpu + (nonZero["cpu"] ?? 0), memory: entry.nonZero.memory + (nonZero["memory"] ?? 0) };
      entry.pods.push(key);
      rebuilt.set(pod.node, entry);
    }
    const queued = state.queue[key] !== undefined;
    if (queued && (pod.phase !== "Pending" || pod.node !== undefined)) broken.push(`${where} is in the scheduling queue but is ${pod.phase}${pod.node ? ` on ${pod.node}` : ""}`);
    // Only an orphan (its node was deleted) stays Running or Terminating without a place on a node, until PodGC deletes it.
    const orphaned = pod.orphaned === true && !pod.holdsResources && pod.node !== undefined;
    if (pod.phase === "Running" && !pod.holdsResources && !orphaned) broken.push(`${where} is Running but holds no resources`);
    if (pod.deletionDeadline !== undefined && !pod.holdsResources && !orphaned) broken.push(`${where} is terminating but holds no resources (it should be gone)`);
    if (pod.phase === "Pending" && pod.node === undefined && !queued && pod.reason === "Unschedulable") {
      broken.push(`${where} is unschedulable but not in the scheduling queue`);
    }
  }
  for (const key of Object.keys(state.queue)) {
    if (state.pods[key] === undefined) broken.push(`the queue holds ${key}, which does not exist`);
  }

  for (const [name, node] of Object.entries(state.nodes) as [string, NodeState][]) {
    const expected = rebuilt.get(name) ?? { requested: {}, nonZero: { cpu: 0, memory: 0 }, pods: [] };
    if (node.nonZeroRequested.cpu !== expected.nonZero.cpu || node.nonZeroRequested.memory !== expected.nonZero.memory) {
      broken.push(`node ${name}: non-zero requested ${JSON.stringify(node.nonZeroRequested)} but its pods add up to ${JSON.stringify(expected.nonZero)}`);
    }
    if (!sameResources(node.requested, expected.requested)) {
      broken.push(`node ${name}: requested ${JSON.stringify(normalizeResources(node.requested))} but its pods request ${JSON.stringify(normalizeResources(expected.requested))}`);
    }
    const pods = [...expected.pods].sort();
    if (JSON.stringify(node.pods) !== JSON.stringify(pods)) broken.push(`node ${name}: lists pods ${node.pods.join(",")} but ${pods.join(",")} hold resources there`);
  }
  return broken;
}

/**
 * Nodes whose pods request more than they allow. Only pods bound by their manifest
 * (`spec.nodeName`) and not yet admitted by the kubelet may cause it; the scheduler never may.
 */
export function overcommittedNodes(state: ClusterState): string[] {
  const result: string[] = [];
  for (const [name, node] of Object.entries(state.nodes)) {
    for (const [resource, amount] of Object.entries(node.requested)) {
      if (amount > (node.node.allocatable[resource] ?? 0)) result.push(`${name}: ${resource} ${amount} > ${node.node.allocatable[resource] ?? 0}`);
    }
    if (node.pods.length > (node.node.allocatable["pods"] ?? 0)) result.push(`${name}: ${node.pods.length} pods > ${node.node.allocatable["pods"] ?? 0}`);
  }
  return result;
}

/** Whether the pod is one whose over-commitment the kubelet has yet to judge. */
export function awaitingAdmission(pod: PodState): boolean {
  return pod.pod.nodeName !== undefined && pod.phase === "Pending" && pod.holdsResources;
}
