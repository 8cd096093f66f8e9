/**
 * The first scheduler: kube's Filter plugins that concern resources and cordons
 * (NodeUnschedulable, then NodeResourcesFit — kube's order; a node's first failing plugin is the
 * one reported), then the first feasible node in name order. Issue #3 turns this into one policy
 * among kube profiles; it stays the reference answer for `first-fit`.
 *
 * Pure: reads the state, returns a decision; the engine turns it into events.
 */
import type { PodKey } from "../model/pod.js";
import type { ClusterState, NodeState, PodState } from "../reference/state.js";
import { NODE_RESOURCES_FIT, insufficientResources } from "./plugins/noderesourcesfit/filter.js";
import { NODE_UNSCHEDULABLE, unschedulableNodeReason } from "./plugins/nodeunschedulable/index.js";
import { NO_NODES_AVAILABLE, fitErrorMessage } from "./message.js";
import { compareActive, compareBackoff, queueStatus, type QueuedPod } from "./queue.js";

/** One node's filter verdict: the plugin that refused it and why, or feasible. */
export interface NodeVerdict {
  readonly node: string;
  readonly plugin?: string;
  readonly reasons: readonly string[];
}

export type Decision =
  | { readonly kind: "bind"; readonly node: string }
  | { readonly kind: "unschedulable"; readonly message: string; readonly plugins: readonly string[] };

/** Runs the filters on one node, in kube's plugin order; stops at the first plugin that refuses. */
export function filterNode(pod: PodState, node: NodeState): NodeVerdict {
  const name = node.node.name;
  const cordoned = unschedulableNodeReason(node.node, pod.pod.tolerations);
  if (cordoned !== undefined) return { node: name, plugin: NODE_UNSCHEDULABLE, reasons: [cordoned] };
  const failures = insufficientResources(pod.request, { allocatable: node.node.allocatable, requested: node.requested, podCount: node.pods.length });
  if (failures.length > 0) return { node: name, plugin: NODE_RESOURCES_FIT, reasons: failures.map((failure) => failure.reason) };
  return { node: name, reasons: [] };
}

/** First fit: the first node in name order that passes every filter. */
export function decideFirstFit(state: ClusterState, key: PodKey): Decision {
  const pod = state.pods[key];
  if (pod === undefined) throw new Error(`decideFirstFit: no pod ${key}`);
  const names = Object.keys(state.nodes).sort();
  if (names.length === 0) return { kind: "unschedulable", message: NO_NODES_AVAILABLE, plugins: [] };
  const refusals = new Map<string, readonly string[]>();
  const plugins = new Set<string>();
  for (const name of names) {
    const verdict = filterNode(pod, state.nodes[name] as NodeState);
    if (verdict.plugin === undefined) return { kind: "bind", node: name };
    refusals.set(name, verdict.reasons);
    plugins.add(verdict.plugin);
  }
  return { kind: "unschedulable", message: fitErrorMessage(names.length, refusals), plugins: [...plugins].sort() };
}

/**
 * The pod the scheduler pops next at tick `now`: the head of activeQ; if activeQ is empty, the
 * head of backoffQ (SchedulerPopFromBackoffQ) unless it is backing off after an error.
 */
export function nextPodToSchedule(state: ClusterState, now: number): PodKey | undefined {
  let bestActive: [PodKey, QueuedPod] | undefined;
  let bestBackoff: [PodKey, QueuedPod] | undefined;
  for (const [key, entry] of Object.entries(state.queue)) {
    const status = queueStatus(entry, now);
    if (status === "active") {
      if (bestActive === undefined || compareActive(entry, bestActive[1]) < 0) bestActive = [key, entry];
    } else if (status === "backoff" && !entry.error) {
      if (bestBackoff === undefined || compareBackoff(entry, bestBackoff[1]) < 0) bestBackoff = [key, entry];
    }
  }
  return (bestActive ?? bestBackoff)?.[0];
}
