/**
 * Which pod the scheduler pops next, and the `first-fit` policy as a function of its own (the
 * first scheduler Timoneiro had, kept for its tests and callers).
 *
 * Pure: reads the state, returns a decision; the engine turns it into events.
 */
import type { PodKey } from "../model/pod.js";
import type { ClusterState } from "../cluster/state.js";
import { decide, type Decision } from "./policies.js";

export type { Decision } from "./policies.js";
import { compareActive, compareBackoff, queueStatus, type QueuedPod } from "./queue.js";

/** First fit: the first node in the node tree's order (join order, zones interleaved) that passes every filter (the `first-fit` policy). */
export function decideFirstFit(state: ClusterState, key: PodKey): Decision {
  return decide(state, key, { policy: "first-fit" }, 0);
}

/**
 * The pod the scheduler pops next at tick `now`: the head of activeQ; if activeQ is empty, the
 * head of backoffQ (SchedulerPopFromBackoffQ) unless it is backing off after an error.
 */
export function nextPodToSchedule(state: ClusterState, now: number): PodKey | undefined {
  return pickNextPod(Object.entries(state.queue), now);
}

/** `nextPodToSchedule` over any queue entries. */
export function pickNextPod(entries: Iterable<readonly [PodKey, QueuedPod]>, now: number): PodKey | undefined {
  let bestActive: readonly [PodKey, QueuedPod] | undefined;
  let bestBackoff: readonly [PodKey, QueuedPod] | undefined;
  for (const [key, entry] of entries) {
    const status = queueStatus(entry, now);
    if (status === "active") {
      if (bestActive === undefined || compareActive(entry, bestActive[1]) < 0) bestActive = [key, entry] as const;
    } else if (status === "backoff" && !entry.error) {
      if (bestBackoff === undefined || compareBackoff(entry, bestBackoff[1]) < 0) bestBackoff = [key, entry] as const;
    }
  }
  return (bestActive ?? bestBackoff)?.[0];
}
