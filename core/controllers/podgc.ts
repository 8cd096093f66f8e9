/**
 * PodGC (kube v1.35 pkg/controller/podgc/gc_controller.go), its terminated-pods part: every
 * `gcCheckPeriod` (20 s) it counts the pods in phase Succeeded or Failed and, when there are more
 * than `--terminated-pod-gc-threshold` (12,500 by default; 0 turns it off), force-deletes (grace 0)
 * the first of them in `byEvictionAndCreationTimestamp` order — the pods the kubelet evicted
 * (Failed, reason `Evicted`: node-pressure evictions) first, then the oldest by creation
 * (`terminatedRank`) — until the threshold is left. A pod among those already
 * being deleted is deleted again in kube, a no-op: here it is skipped, and it still counts.
 *
 * Pure: the state keeps the terminated pods' count and order (the fast engine in an index, the
 * reference engine by a scan); the check runs only when the count is over the threshold, on the
 * next 20-second boundary.
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { ClusterReader, ControllerTimer } from "./controller.js";
import type { PodState } from "../cluster/state.js";
import type { PodKey } from "../model/pod.js";

/** kube-controller-manager's default `--terminated-pod-gc-threshold`. */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;
/** PodGC's check period (gc_controller.go `gcCheckPeriod`). */
export const POD_GC_PERIOD_SECONDS = 20;

export interface PodGCTimer {
  readonly kind: "podGC";
}

/** What PodGC reads: how many pods are terminated, and the oldest of them. */
export interface TerminatedReader extends ClusterReader {
  terminatedCount(): number;
  /** The `count` oldest terminated pods (creation order), terminating ones included. */
  oldestTerminated(count: number): PodState[];
}

/** After a pod turned terminal: the next check, if the count is over the threshold. */
export function podGCOnEvent(reader: TerminatedReader, event: ClusterEvent, now: number, threshold: number): ControllerTimer<PodGCTimer> | undefined {
  if (event.type !== "PodSucceeded" && event.type !== "PodFailed") return undefined;
  if (threshold <= 0 || reader.terminatedCount() <= threshold) return undefined;
  return { at: (Math.floor(now / POD_GC_PERIOD_SECONDS) + 1) * POD_GC_PERIOD_SECONDS, payload: { kind: "podGC" } };
}

/** The check (`gcTerminated`): force-deletes of the oldest terminated pods over the threshold. */
export function podGCOnTimer(reader: TerminatedReader, threshold: number): EventDraft[] {
  const over = reader.terminatedCount() - threshold;
  if (threshold <= 0 || over <= 0) return [];
  const drafts: EventDraft[] = [];
  for (const pod of reader.oldestTerminated(over)) {
    if (pod.deletionDeadline !== undefined) continue;
    drafts.push({ type: "PodDeleted", pod: `${pod.pod.namespace}/${pod.pod.name}`, gracePeriodSeconds: 0 });
  }
  return drafts;
}

/**
 * PodGC's other two duties for nodes (gc_controller.go), on its 20-second passes:
 *
 * | duty | rule | here |
 * |------|------|------|
 * | `gcOrphaned` | a pod whose node is gone is seen at a pass; its node is quarantined 40 s (`quarantineTime`); the pass after that, if the node is still gone, the pod is marked Failed with `DisruptionTarget` (`DeletionByPodGC`, "PodGC: node no longer exists") and force-deleted (grace 0) | at the first pass at or after the removal + 40 s: `PodEvicted`, `PodFailed` (unless terminal), `PodDeleted` grace 0 |
 * | `gcTerminating` | a Terminating pod on a node that is not Ready and carries a `node.kubernetes.io/out-of-service` taint (any effect or value) is marked Failed and force-deleted | at the first pass after the pod is terminating there: `PodFailed` (unless terminal), `PodDeleted` grace 0, `ResourcesFreed` (a force delete frees what the pod held at once) |
 *
 * A force delete with no kubelet to confirm it: the object is gone from the API, so its place on
 * the node is free as well.
 */
export interface PodGCNodesTimer {
  readonly kind: "podGCNodes";
}

/** PodGC's orphan quarantine (`quarantineTime`). */
export const ORPHAN_QUARANTINE_SECONDS = 40;
export const ORPHAN_MESSAGE = "PodGC: node no longer exists";

export class PodGCNodes {
  /** Pods whose node was removed, by the pass that deletes them (with the node they were on and which pod they were). */
  private readonly orphans = new Map<number, { pod: PodKey; node: string; podSeq: number }[]>();
  /** Nodes carrying an out-of-service taint. */
  private readonly outOfService = new Set<string>();
  private readonly passes = new Set<number>();

  /** Whether pod events need a look (an out-of-service node exists). */
  get active(): boolean {
    return this.outOfService.size > 0;
  }

  /** `podsOnRemovedNode`: the pods the node held, read before the NodeRemoved event applied. */
  onEvent(reader: ClusterReader, event: ClusterEvent, now: number, podsOnRemovedNode: readonly PodKey[] = []): ControllerTimer<PodGCNodesTimer>[] {
    switch (event.type) {
      case "NodeRemoved": {
        this.outOfService.delete(event.node);
        if (podsOnRemovedNode.length === 0) return [];
        const at = nextPass(now) + ORPHAN_QUARANTINE_SECONDS;
        const list = this.orphans.get(at) ?? [];
        for (const key of podsOnRemovedNode) {
          const pod = reader.pod(key);
          if (pod !== undefined) list.push({ pod: key, node: event.node, podSeq: pod.createdSeq });
        }
        this.orphans.set(at, list);
        return this.pass(at);
      }
      case "NodeTainted":
      case "NodeUntainted": {
        if (event.taint.key !== OUT_OF_SERVICE) return [];
        const node = reader.node(event.node);
        if (node?.node.taints.some((taint) => taint.key === OUT_OF_SERVICE) === true) this.outOfService.add(event.node);
        else this.outOfService.delete(event.node);
        return this.outOfService.has(event.node) ? this.pass(nextPass(now)) : [];
      }
      case "NodeConditionChanged":
      case "PodDeleted": {
        const node = event.type === "PodDeleted" ? reader.pod(event.pod)?.node : event.node;
        return node !== undefined && this.outOfService.has(node) ? this.pass(nextPass(now)) : [];
      }
      default:
        return [];
    }
  }

  onTimer(reader: ClusterReader, now: number): EventDraft[] {
    this.passes.delete(now);
    const drafts: EventDraft[] = [];
    // gcTerminating, then gcOrphaned, as gc() runs them.
    for (const name of [...this.outOfService].sort()) {
      const node = reader.node(name);
      if (node === undefined || node.node.ready === "True") continue;
      for (const key of node.pods) {
        const pod = reader.pod(key);
        if (pod === undefined || pod.deletionDeadline === undefined) continue;
        if (pod.phase !== "Succeeded" && pod.phase !== "Failed") drafts.push({ type: "PodFailed", pod: key, reason: "", message: "" });
        drafts.push({ type: "PodDeleted", pod: key, gracePeriodSeconds: 0 }, { type: "ResourcesFreed", pod: key, node: name });
      }
    }
    const due = this.orphans.get(now) ?? [];
    this.orphans.delete(now);
    for (const orphan of [...due].sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0))) {
      const pod = reader.pod(orphan.pod);
      // Still the same pod, still orphaned. (kube's PodGC spares it if a Node of the same name came
      // back meanwhile; here such a node is a new machine, and the old pods stay orphans.)
      if (pod === undefined || pod.createdSeq !== orphan.podSeq || pod.orphaned !== true) continue;
      if (pod.phase !== "Succeeded" && pod.phase !== "Failed") {
        drafts.push({ type: "PodEvicted", pod: orphan.pod, reason: "DeletionByPodGC", message: ORPHAN_MESSAGE });
        drafts.push({ type: "PodFailed", pod: orphan.pod, reason: "", message: ORPHAN_MESSAGE });
      }
      drafts.push({ type: "PodDeleted", pod: orphan.pod, gracePeriodSeconds: 0 });
    }
    return drafts;
  }

  private pass(at: number): ControllerTimer<PodGCNodesTimer>[] {
    if (this.passes.has(at)) return [];
    this.passes.add(at);
    return [{ at, payload: { kind: "podGCNodes" } }];
  }
}

const OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

/** PodGC's next pass: at or after `now` (a pass at this tick runs after the event), on the 20-second grid. */
function nextPass(now: number): number {
  return Math.ceil(now / POD_GC_PERIOD_SECONDS) * POD_GC_PERIOD_SECONDS;
}
