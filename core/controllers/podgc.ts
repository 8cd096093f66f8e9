/**
 * PodGC (kube v1.35 pkg/controller/podgc/gc_controller.go), its terminated-pods part: every
 * `gcCheckPeriod` (20 s) it counts the pods in phase Succeeded or Failed and, when there are more
 * than `--terminated-pod-gc-threshold` (12,500 by default; 0 turns it off), force-deletes (grace 0)
 * the oldest of them — sorted by creation time (`byEvictionAndCreationTimestamp`; evicted pods,
 * which come with node failures, first) — until the threshold is left. A pod among those already
 * being deleted is deleted again in kube, a no-op: here it is skipped, and it still counts.
 *
 * Pure: the state keeps the terminated pods' count and order (the fast engine in an index, the
 * reference engine by a scan); the check runs only when the count is over the threshold, on the
 * next 20-second boundary.
 */
import type { ClusterEvent, EventDraft } from "../events/events.js";
import type { ClusterReader, ControllerTimer } from "./controller.js";
import type { PodState } from "../cluster/state.js";

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
