/**
 * kube-scheduler's scheduling queue (pkg/scheduler/backend/queue, v1.35), as plain records.
 *
 * Three places a pending pod can be:
 * - activeQ: ready to be tried; ordered by priority (higher first), then by `timestamp` (older
 *   first; PrioritySort). The timestamp is set when the pod is created and refreshed when a
 *   failed attempt re-adds it — never when it merely moves between queues.
 * - backoffQ: moved back by a cluster event while still backing off after a failed attempt.
 *   Backoff is 1 s doubling to 10 s by the number of unschedulable attempts, measured from the
 *   timestamp; kube lines expiries up on whole-second windows and releases a pod in the first
 *   window after its expiry, so a pod that failed at tick T with backoff d is released at T+d+1.
 *   With `SchedulerPopFromBackoffQ` (beta, on in v1.35), an empty activeQ pops the head of
 *   backoffQ at once (earliest expiry, then activeQ order).
 * - unschedulablePods: failed, waiting for a cluster event that one of the rejecting plugins'
 *   queueing hints says may help, or for the leftover flush: every 30 s since the scheduler
 *   started, pods unschedulable for more than 5 minutes go back (so at the first multiple of
 *   30 s strictly after timestamp + 300 s).
 *
 * An attempt that ends in an error (no nodes at all) is not a verdict: kube retries it after
 * backoff from a separate error queue that is never popped early.
 *
 * The engine runs one scheduling cycle after another within a tick (a cycle takes no simulated
 * time), so the moves driven by time are evaluated lazily: `queueStatus(entry, now)`.
 */

import type { QueuePool, QueuedPod } from "../cluster/queue-entry.js";
import type { ClusterState } from "../cluster/state.js";
import type { PodKey } from "../model/pod.js";

export type { QueuePool, QueuedPod } from "../cluster/queue-entry.js";

export const INITIAL_BACKOFF_SECONDS = 1;
export const MAX_BACKOFF_SECONDS = 10;
export const MAX_UNSCHEDULABLE_SECONDS = 300;
export const UNSCHEDULABLE_FLUSH_PERIOD_SECONDS = 30;

/** 1, 2, 4, 8, 10, 10 … seconds for the 1st, 2nd … unschedulable attempt; 0 before any. */
export function backoffSeconds(unschedulableCount: number): number {
  if (unschedulableCount <= 0) return 0;
  const shift = unschedulableCount - 1;
  if (shift >= 4 || INITIAL_BACKOFF_SECONDS * 2 ** shift > MAX_BACKOFF_SECONDS) return MAX_BACKOFF_SECONDS;
  return INITIAL_BACKOFF_SECONDS * 2 ** shift;
}

/** The last tick at which the pod is still backing off. */
export function backoffExpiry(entry: QueuedPod): number {
  return entry.timestamp + backoffSeconds(entry.unschedulableCount);
}

/** The tick at which the leftover flush returns an unschedulable pod: the first multiple of 30 s after timestamp + 300 s. */
export function unschedulableFlushAt(entry: QueuedPod): number {
  const deadline = entry.timestamp + MAX_UNSCHEDULABLE_SECONDS;
  return (Math.floor(deadline / UNSCHEDULABLE_FLUSH_PERIOD_SECONDS) + 1) * UNSCHEDULABLE_FLUSH_PERIOD_SECONDS;
}

/** Where the pod effectively is at tick `now`, after the time-driven moves. */
export function queueStatus(entry: QueuedPod, now: number): QueuePool {
  switch (entry.pool) {
    case "active":
      return "active";
    case "backoff":
      return now > backoffExpiry(entry) ? "active" : "backoff";
    case "unschedulable":
      if (now < unschedulableFlushAt(entry)) return "unschedulable";
      return now > backoffExpiry(entry) ? "active" : "backoff";
    default: {
      const unreachable: never = entry.pool;
      return unreachable;
    }
  }
}

/** The tick at which time alone next changes the pod's status, or undefined if it never will. */
export function nextQueueChange(entry: QueuedPod, now: number): number | undefined {
  const status = queueStatus(entry, now);
  if (status === "active") return undefined;
  if (status === "backoff") return backoffExpiry(entry) + 1;
  return unschedulableFlushAt(entry);
}

/** PrioritySort: higher priority first, then older timestamp, then arrival order. Negative if a goes first. */
export function compareActive(a: QueuedPod, b: QueuedPod): number {
  return b.priority - a.priority || a.timestamp - b.timestamp || a.order - b.order;
}

/** backoffQ order: earliest expiry first, then activeQ order. */
export function compareBackoff(a: QueuedPod, b: QueuedPod): number {
  return backoffExpiry(a) - backoffExpiry(b) || compareActive(a, b);
}

/** Where a pod goes when a cluster event's queueing hint says it may now fit. */
export function requeuePool(entry: QueuedPod, now: number): QueuePool {
  return now > backoffExpiry(entry) ? "active" : "backoff";
}

/** kube-scheduler's three queues at tick `now`, each in the order pods leave it. */
export interface QueueView {
  readonly active: readonly PodKey[];
  readonly backoff: readonly PodKey[];
  readonly unschedulable: readonly PodKey[];
}

/** The scheduling queue as it stands at tick `now` (time moves pods out of backoff and the unschedulable pool). */
export function queueView(state: ClusterState, now: number = state.t): QueueView {
  const entries = Object.entries(state.queue);
  const inPool = (pool: string) => entries.filter(([, entry]) => queueStatus(entry, now) === pool);
  return {
    active: inPool("active").sort(([, a], [, b]) => compareActive(a, b)).map(([key]) => key),
    backoff: inPool("backoff").sort(([, a], [, b]) => compareBackoff(a, b)).map(([key]) => key),
    unschedulable: inPool("unschedulable").sort(([keyA], [keyB]) => (keyA < keyB ? -1 : 1)).map(([key]) => key),
  };
}
