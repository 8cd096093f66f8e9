/**
 * Why the scheduler puts a pod where it does, computed on demand (never stored in the state):
 * per node, the filter verdict and reasons; per score plugin, its score (0–100, after
 * normalization, before weighting) and the weighted total; the chosen node or the
 * FailedScheduling message.
 */
import { podKey as keyOf, type PodKey } from "../model/pod.js";
import type { ClusterState, PodState } from "../cluster/state.js";
import type { SchedulerConfiguration } from "./config/ksc.js";
import { profileFor } from "./config/ksc.js";
import { runCycle } from "./framework/schedule.js";
import { cycleState, nodeInfos, ownersOf } from "./framework/snapshot.js";
import type { NodeTree } from "./framework/nodetree.js";
import { clusterViewOf, decideOn, nominatedView } from "./policies.js";

export interface NodeExplanation {
  readonly node: string;
  readonly feasible: boolean;
  /** Whether the scheduler looked at the node at all (it stops once it has found enough feasible nodes). */
  readonly evaluated: boolean;
  /** The plugin that refused the node. */
  readonly plugin?: string;
  readonly reasons: readonly string[];
  readonly scores: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface Explanation {
  readonly pod: PodKey;
  readonly profile: string;
  readonly selected: string | null;
  /** DefaultPreemption's choice when no node fits: the node the pod would be nominated to and the pods deleted there. */
  readonly preemption?: { readonly node: string; readonly victims: readonly PodKey[] };
  readonly message: string | null;
  /** The cycle ended in an error, not a verdict (kube's FailedScheduling is then the error itself, and the pod backs off). */
  readonly error: boolean;
  /** Score plugins with their weights, in the profile's order. */
  readonly weights: Readonly<Record<string, number>>;
  /** False when exactly one node was feasible: kube then selects it without scoring. */
  readonly scored: boolean;
  readonly nodes: readonly NodeExplanation[];
  /** Default plugins accepted but not simulated (they have no effect on this pod unless noted). */
  readonly notSimulated: readonly string[];
  /**
   * The pod's scheduling gates. With any, kube's SchedulingGates plugin (PreEnqueue) keeps it out
   * of the scheduling queue: it is not scheduled at all (PodScheduled=False, reason
   * SchedulingGated) until every gate is removed. The rest of the explanation says what would
   * happen without them.
   */
  readonly schedulingGates: readonly string[];
}

/** The pod condition kube sets on a gated pod (pkg/scheduler/schedule_one.go, v1.35). */
export const SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates";

export class ExplainError extends Error {
  override readonly name = "ExplainError";
}

/** Explains one scheduling cycle of `key` in `state`, nodes in `tree`'s order, from `startIndex`. */
export function explainPod(state: ClusterState, tree: NodeTree, configuration: SchedulerConfiguration, key: PodKey, seed: number, startIndex = 0): Explanation {
  const pod: PodState | undefined = state.pods[key];
  if (pod === undefined) throw new ExplainError(`no pod ${key}`);
  if (pod.pod.nodeName !== undefined) throw new ExplainError(`pod ${key} names its node (spec.nodeName: ${pod.pod.nodeName}): it skips the scheduler`);
  const profile = profileFor(configuration, pod.pod.schedulerName);
  if (profile === undefined) {
    throw new ExplainError(`pod ${key} asks for scheduler ${JSON.stringify(pod.pod.schedulerName)}, and the configuration has no such profile (it has ${configuration.profiles.map((p) => JSON.stringify(p.schedulerName)).join(", ")})`);
  }
  const nodes = nodeInfos(state, tree);
  const cycle = cycleState(pod.pod, pod.request, nodes, ownersOf(state));
  const view = clusterViewOf(state);
  const nominated = nominatedView(pod, view);
  const result = runCycle({ profile, cycle, nodes, startIndex, seed, ...(nominated !== undefined ? { nominated } : {}) });
  // The decision itself (the nominated node tried first, then DefaultPreemption when nothing fits).
  const decision = decideOn(pod, nodes, startIndex, { policy: "kube", configuration }, seed, ownersOf(state), view);
  const verdicts = new Map(result.verdicts.map((verdict) => [verdict.node, verdict]));
  const scores = new Map(result.scores.map((score) => [score.node, score]));
  return {
    pod: keyOf(pod.pod),
    profile: profile.schedulerName,
    selected: decision.kind === "bind" ? decision.node : null,
    message: decision.kind === "unschedulable" ? decision.message : null,
    ...(decision.kind === "unschedulable" && decision.preemption !== undefined ? { preemption: { node: decision.preemption.node, victims: decision.preemption.victims } } : {}),
    error: result.error,
    weights: Object.fromEntries(profile.score.map(({ plugin, weight }) => [plugin.name, weight])),
    scored: result.scores.length > 0,
    nodes: nodes.map(({ node }) => {
      const verdict = verdicts.get(node.name);
      const score = scores.get(node.name);
      return {
        node: node.name,
        feasible: verdict !== undefined && verdict.plugin === undefined,
        evaluated: verdict !== undefined,
        ...(verdict?.plugin !== undefined ? { plugin: verdict.plugin } : {}),
        reasons: verdict === undefined ? ["not evaluated: the scheduler stopped after finding enough feasible nodes"] : verdict.status.reasons,
        scores: score?.scores ?? {},
        total: score?.total ?? 0,
      };
    }),
    notSimulated: profile.notSimulated,
    schedulingGates: pod.pod.schedulingGates,
  };
}
