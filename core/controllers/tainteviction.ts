/**
 * The taint eviction controller (kube v1.35 pkg/controller/tainteviction/taint_eviction.go, its own
 * controller since `SeparateTaintEvictionController` went GA): pods on a node with NoExecute
 * taints are deleted unless they tolerate them all, when their shortest toleration runs out.
 *
 * | case | what happens | kube's source |
 * |------|--------------|---------------|
 * | a NoExecute taint the pod does not tolerate | deleted at once | `processPodOnNode` (`!allTolerated`) |
 * | tolerated, every used toleration without `tolerationSeconds` | never (a scheduled deletion is cancelled) | `getMinTolerationTime` = −1 |
 * | tolerated, some `tolerationSeconds` ≤ 0 | deleted at once | `getMinTolerationTime` = 0 |
 * | tolerated, else | deleted `min(tolerationSeconds)` after the controller saw the taint or the pod (not the taint's `timeAdded`) | `processPodOnNode`: `triggerTime = now + min` |
 * | already scheduled | kept if its start + the new minimum is earlier than now + the minimum; else rescheduled from its first start | `processPodOnNode` |
 * | the node loses its last NoExecute taint | every scheduled deletion on it is cancelled | `handleNodeUpdate` |
 * | the Node is deleted | scheduled deletions still fire | `handleNodeUpdate` (NotFound) |
 * | the deletion | `DisruptionTarget` (reason `DeletionByTaintManager`, "Taint manager: deleting due to NoExecute taint") then a delete with the pod's own grace period; kube's event `TaintManagerEviction` | `addConditionAndDeletePod` |
 *
 * Here: `PodEvicted` (reason `TaintManagerEviction`, kube's condition message) then `PodDeleted`.
 * Only pods that count against the node are looked at (terminal pods are left alone), and a pod
 * already Terminating is not deleted again (kube's second delete changes nothing).
 *
 * The controller keeps its scheduled deletions (kube's timed worker queue) in memory; each is a
 * timer on the agenda, checked again when it fires.
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { NodeState, PodState } from "../cluster/state.js";
import type { Taint, Toleration } from "../model/node.js";
import type { PodKey } from "../model/pod.js";
import { tolerates } from "../scheduler/plugins/tainttoleration/index.js";
import type { ClusterReader, ControllerTimer, Reaction } from "./controller.js";

export interface TaintEvictionTimer {
  readonly kind: "taintEviction";
  readonly pod: PodKey;
}

/** kube's DisruptionTarget condition message for this controller. */
export const TAINT_EVICTION_MESSAGE = "Taint manager: deleting due to NoExecute taint";

/** `getMinTolerationTime` over the tolerations a pod uses for a node's NoExecute taints: undefined when one is not tolerated, −1 for forever. */
export function minTolerationSeconds(taints: readonly Taint[], tolerations: readonly Toleration[]): number | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const matching = tolerations.filter((toleration) => tolerates(toleration, taint));
    if (matching.length === 0) return undefined;
    used.push(...matching);
  }
  if (used.length === 0) return 0;
  let min = -1;
  for (const toleration of used) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined) continue;
    if (seconds <= 0) return 0;
    if (min < 0 || seconds < min) min = seconds;
  }
  return min;
}

export class TaintEviction {
  /** Scheduled deletions: when first scheduled, and when due. */
  private readonly scheduled = new Map<PodKey, { readonly createdAt: number; readonly at: number; readonly podSeq: number }>();
  /** Nodes with at least one NoExecute taint: until there is one, pod events need no look. */
  private readonly taintedNodes = new Set<string>();

  /** Whether any node carries a NoExecute taint (the engine asks before handing over pod events). */
  get active(): boolean {
    return this.taintedNodes.size > 0;
  }

  onEvent(reader: ClusterReader, event: ClusterEvent, now: number): Reaction<TaintEvictionTimer> {
    switch (event.type) {
      case "NodeJoined":
      case "NodeTainted":
      case "NodeUntainted": {
        if (event.type !== "NodeJoined" && event.taint.effect !== "NoExecute") return NONE;
        const node = reader.node(event.node);
        if (node === undefined) return NONE;
        return this.nodeUpdated(reader, node, now);
      }
      case "NodeRemoved":
        // kube forgets the node's taints and leaves its scheduled deletions as they are.
        this.taintedNodes.delete(event.node);
        return NONE;
      case "PodBound":
      case "PodCreated": {
        if (!this.taintedNodes.has(event.type === "PodBound" ? event.node : event.spec.nodeName ?? "")) return NONE;
        const pod = reader.pod(event.pod);
        const node = pod?.node === undefined ? undefined : reader.node(pod.node);
        if (pod === undefined || node === undefined || !pod.holdsResources) return NONE;
        return this.process(event.pod, pod, noExecuteTaints(node), now);
      }
      default:
        return NONE;
    }
  }

  /** A scheduled deletion is due: the pod goes, if it is still there and still scheduled for now. */
  onTimer(reader: ClusterReader, timer: TaintEvictionTimer, now: number): Reaction<TaintEvictionTimer> {
    const entry = this.scheduled.get(timer.pod);
    if (entry === undefined || entry.at !== now) return NONE;
    this.scheduled.delete(timer.pod);
    const pod = reader.pod(timer.pod);
    // The same pod (a pod of the same name made later is another pod).
    return pod === undefined || pod.createdSeq !== entry.podSeq ? NONE : { drafts: evict(timer.pod, pod), timers: [] };
  }

  /** `handleNodeUpdate`: every pod on the node looked at again, or its deletions cancelled when no NoExecute taint is left. */
  private nodeUpdated(reader: ClusterReader, node: NodeState, now: number): Reaction<TaintEvictionTimer> {
    const taints = noExecuteTaints(node);
    if (taints.length === 0) {
      if (!this.taintedNodes.delete(node.node.name)) return NONE;
      for (const key of node.pods) this.scheduled.delete(key);
      return NONE;
    }
    this.taintedNodes.add(node.node.name);
    const drafts: EventDraft[] = [];
    const timers: ControllerTimer<TaintEvictionTimer>[] = [];
    for (const key of node.pods) {
      const pod = reader.pod(key);
      if (pod === undefined) continue;
      const reaction = this.process(key, pod, taints, now);
      drafts.push(...reaction.drafts);
      timers.push(...reaction.timers);
    }
    return { drafts, timers };
  }

  /** `processPodOnNode`. */
  private process(key: PodKey, pod: PodState, taints: readonly Taint[], now: number): Reaction<TaintEvictionTimer> {
    const min = minTolerationSeconds(taints, pod.pod.tolerations);
    const scheduled = this.scheduled.get(key);
    const existing = scheduled?.podSeq === pod.createdSeq ? scheduled : undefined;
    if (min === undefined || min === 0) {
      this.scheduled.delete(key);
      return { drafts: evict(key, pod), timers: [] };
    }
    if (min < 0) {
      this.scheduled.delete(key);
      return NONE;
    }
    let start = now;
    if (existing !== undefined) {
      start = existing.createdAt;
      if (start + min < now + min) return NONE;
    }
    const at = start + min;
    this.scheduled.set(key, { createdAt: start, at, podSeq: pod.createdSeq });
    return { drafts: [], timers: [{ at, payload: { kind: "taintEviction", pod: key } }] };
  }
}

const NONE: Reaction<TaintEvictionTimer> = Object.freeze({ drafts: Object.freeze([]), timers: Object.freeze([]) });

function noExecuteTaints(node: NodeState): Taint[] {
  return node.node.taints.filter((taint) => taint.effect === "NoExecute");
}

/** `addConditionAndDeletePod`: the DisruptionTarget condition, then a delete with the pod's grace period. */
function evict(key: PodKey, pod: PodState): EventDraft[] {
  if (pod.deletionDeadline !== undefined || !pod.holdsResources) return [];
  return [
    { type: "PodEvicted", pod: key, reason: "TaintManagerEviction", message: TAINT_EVICTION_MESSAGE },
    { type: "PodDeleted", pod: key, gracePeriodSeconds: pod.pod.terminationGracePeriodSeconds },
  ];
}
